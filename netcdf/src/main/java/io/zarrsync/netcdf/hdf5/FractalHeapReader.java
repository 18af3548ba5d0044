package io.zarrsync.netcdf.hdf5;

import io.jhdf.Constants;
import io.jhdf.Utils;
import io.jhdf.btree.BTreeV2;
import io.jhdf.btree.record.HugeFractalHeapObjectUnfilteredRecord;
import io.jhdf.exceptions.HdfException;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads objects out of an HDF5 fractal heap (the store behind dense attribute and link storage).
 *
 * <p>jhdf 0.13.0 has its own reader, but it stops at the first unallocated slot of the root
 * indirect block and sizes direct blocks off by one, so it fails on most real NetCDF-4 files with
 * more than a few global attributes ("newPosition &gt; limit"). This one follows the doubling table
 * of the HDF5 specification (III.G) and finds direct blocks by the offsets they record.
 */
final class FractalHeapReader {
  private static final byte[] HEAP_SIGNATURE = "FRHP".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INDIRECT_SIGNATURE = "FHIB".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DIRECT_SIGNATURE = "FHDB".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_DEPTH = 16;

  private final HdfBackingStorage storage;
  private final long address;
  private final int sizeOfOffsets;
  private final int sizeOfLengths;
  private final int idLength;
  private final long hugeObjectsBTree;
  private final int tableWidth;
  private final long startingBlockSize;
  private final int maxDirectRows;
  private final int blockOffsetBytes;
  private final int managedLengthBytes;

  /** Heap-space offset of each direct block to its file address. */
  private final TreeMap<Long, Long> directBlocks = new TreeMap<>();

  FractalHeapReader(HdfBackingStorage storage, long address) {
    this.storage = storage;
    this.address = address;
    this.sizeOfOffsets = storage.getSizeOfOffsets();
    this.sizeOfLengths = storage.getSizeOfLengths();
    int headerSize = 4 + 1 + 2 + 2 + 1 + 4 + 12 * sizeOfLengths + 3 * sizeOfOffsets + 2 + 2 + 2 + 4;
    ByteBuffer bb = read(address, headerSize);
    expectSignature(bb, HEAP_SIGNATURE, address);
    int version = bb.get();
    if (version != 0) {
      throw new HdfException("unsupported fractal heap version " + version + " at " + address);
    }
    idLength = Utils.readBytesAsUnsignedInt(bb, 2);
    int ioFiltersLength = Utils.readBytesAsUnsignedInt(bb, 2);
    bb.get(); // flags: only say whether direct blocks carry checksums, which we do not verify
    long maxManagedObjectSize = Utils.readBytesAsUnsignedLong(bb, 4);
    Utils.readBytesAsUnsignedLong(bb, sizeOfLengths); // next huge object id
    hugeObjectsBTree = Utils.readBytesAsUnsignedLong(bb, sizeOfOffsets);
    Utils.readBytesAsUnsignedLong(bb, sizeOfLengths); // free space in managed blocks
    Utils.readBytesAsUnsignedLong(bb, sizeOfOffsets); // free space manager
    for (int i = 0; i < 8; i++) {
      // managed space, allocated space, iterator offset, managed/huge/tiny sizes and counts
      Utils.readBytesAsUnsignedLong(bb, sizeOfLengths);
    }
    tableWidth = Utils.readBytesAsUnsignedInt(bb, 2);
    startingBlockSize = Utils.readBytesAsUnsignedLong(bb, sizeOfLengths);
    long maxDirectBlockSize = Utils.readBytesAsUnsignedLong(bb, sizeOfLengths);
    int maxHeapSizeBits = Utils.readBytesAsUnsignedInt(bb, 2);
    Utils.readBytesAsUnsignedInt(bb, 2); // starting rows of the root indirect block
    long rootAddress = Utils.readBytesAsUnsignedLong(bb, sizeOfOffsets);
    int rootRows = Utils.readBytesAsUnsignedInt(bb, 2);
    if (ioFiltersLength > 0) {
      throw new HdfException("filtered fractal heaps are not supported (heap at " + address + ")");
    }
    if (tableWidth <= 0
        || Long.bitCount(startingBlockSize) != 1
        || Long.bitCount(maxDirectBlockSize) != 1
        || maxDirectBlockSize < startingBlockSize) {
      throw new HdfException("corrupt fractal heap header at " + address);
    }
    maxDirectRows = log2(maxDirectBlockSize) - log2(startingBlockSize) + 2;
    blockOffsetBytes = (maxHeapSizeBits + 7) / 8;
    managedLengthBytes =
        Utils.bytesNeededToHoldNumber(Math.min(maxDirectBlockSize, maxManagedObjectSize));
    if (rootAddress != Constants.UNDEFINED_ADDRESS) {
      if (rootRows == 0) {
        addDirectBlock(rootAddress);
      } else {
        readIndirectBlock(rootAddress, rootRows, 0);
      }
    }
  }

  /** The object a heap ID (as stored in a v2 B-tree record) points to. */
  ByteBuffer object(ByteBuffer heapId) {
    ByteBuffer id = heapId.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (id.remaining() != idLength) {
      throw new HdfException(
          "heap ID of " + id.remaining() + " bytes, heap at " + address + " uses " + idLength);
    }
    int flags = id.get() & 0xFF;
    if ((flags >>> 6) != 0) {
      throw new HdfException("unsupported heap ID version " + (flags >>> 6));
    }
    int type = (flags >>> 4) & 0x3;
    switch (type) {
      case 0:
        return managedObject(id);
      case 1:
        return hugeObject(id);
      case 2:
        return tinyObject(id, flags);
      default:
        throw new HdfException("unknown heap ID type " + type + " in heap at " + address);
    }
  }

  private ByteBuffer managedObject(ByteBuffer id) {
    long offset = Utils.readBytesAsUnsignedLong(id, blockOffsetBytes);
    int length = Utils.readBytesAsUnsignedInt(id, managedLengthBytes);
    Map.Entry<Long, Long> block = directBlocks.floorEntry(offset);
    if (block == null) {
      throw new HdfException("heap offset " + offset + " outside the heap at " + address);
    }
    // Offsets inside a direct block count from the start of the block, header included.
    return read(block.getValue() + (offset - block.getKey()), length);
  }

  private ByteBuffer hugeObject(ByteBuffer id) {
    if (idLength >= 1 + sizeOfOffsets + sizeOfLengths) {
      long objectAddress = Utils.readBytesAsUnsignedLong(id, sizeOfOffsets);
      long length = Utils.readBytesAsUnsignedLong(id, sizeOfLengths);
      return read(objectAddress, length);
    }
    if (hugeObjectsBTree == Constants.UNDEFINED_ADDRESS) {
      throw new HdfException("huge heap object without an index in heap at " + address);
    }
    long key = Utils.readBytesAsUnsignedLong(id, Math.min(id.remaining(), 8));
    BTreeV2<HugeFractalHeapObjectUnfilteredRecord> index = new BTreeV2<>(storage, hugeObjectsBTree);
    for (HugeFractalHeapObjectUnfilteredRecord r : index.getRecords()) {
      if (r.getId() == key) {
        return read(r.getAddress(), r.getLength());
      }
    }
    throw new HdfException("huge heap object " + key + " not found in heap at " + address);
  }

  private ByteBuffer tinyObject(ByteBuffer id, int flags) {
    // IDs longer than 17 bytes spend a second byte on the length (H5HFtiny.c).
    int length =
        idLength <= 17 ? (flags & 0x0F) + 1 : (((flags & 0x0F) << 8) | (id.get() & 0xFF)) + 1;
    if (length > id.remaining()) {
      throw new HdfException("corrupt tiny heap object in heap at " + address);
    }
    ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    id.limit(id.position() + length);
    out.put(id).flip();
    return out;
  }

  private void readIndirectBlock(long blockAddress, int rows, int depth) {
    if (depth > MAX_DEPTH) {
      throw new HdfException("fractal heap at " + address + " nests too deep");
    }
    int directRows = Math.min(rows, maxDirectRows);
    int indirectRows = rows - directRows;
    int size =
        4
            + 1
            + sizeOfOffsets
            + blockOffsetBytes
            + (directRows + indirectRows) * tableWidth * sizeOfOffsets
            + 4;
    ByteBuffer bb = read(blockAddress, size);
    expectSignature(bb, INDIRECT_SIGNATURE, blockAddress);
    bb.get(); // version
    Utils.readBytesAsUnsignedLong(bb, sizeOfOffsets); // heap header address
    Utils.readBytesAsUnsignedLong(bb, blockOffsetBytes);
    for (int i = 0; i < directRows * tableWidth; i++) {
      long child = Utils.readBytesAsUnsignedLong(bb, sizeOfOffsets);
      // Unallocated slots are normal: the library skips blocks too small for a large object.
      if (child != Constants.UNDEFINED_ADDRESS) {
        addDirectBlock(child);
      }
    }
    for (int i = 0; i < indirectRows * tableWidth; i++) {
      long child = Utils.readBytesAsUnsignedLong(bb, sizeOfOffsets);
      if (child != Constants.UNDEFINED_ADDRESS) {
        int row = directRows + i / tableWidth;
        long childSize = startingBlockSize << (row - 1);
        int childRows = log2(childSize) - log2(startingBlockSize * tableWidth) + 1;
        readIndirectBlock(child, childRows, depth + 1);
      }
    }
  }

  private void addDirectBlock(long blockAddress) {
    ByteBuffer bb = read(blockAddress, 4 + 1 + sizeOfOffsets + blockOffsetBytes);
    expectSignature(bb, DIRECT_SIGNATURE, blockAddress);
    bb.get(); // version
    Utils.readBytesAsUnsignedLong(bb, sizeOfOffsets); // heap header address
    long blockOffset = Utils.readBytesAsUnsignedLong(bb, blockOffsetBytes);
    directBlocks.put(blockOffset, blockAddress);
  }

  private ByteBuffer read(long at, long length) {
    return FileRegion.read(storage, at, length);
  }

  private static void expectSignature(ByteBuffer bb, byte[] signature, long at) {
    for (byte b : signature) {
      if (bb.get() != b) {
        throw new HdfException(
            "expected " + new String(signature, StandardCharsets.US_ASCII) + " at address " + at);
      }
    }
  }

  private static int log2(long powerOfTwo) {
    return 63 - Long.numberOfLeadingZeros(powerOfTwo);
  }
}
