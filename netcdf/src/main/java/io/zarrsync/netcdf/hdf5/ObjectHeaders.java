package io.zarrsync.netcdf.hdf5;

import io.jhdf.Constants;
import io.jhdf.HdfFile;
import io.jhdf.ObjectHeader;
import io.jhdf.Utils;
import io.jhdf.api.Node;
import io.jhdf.btree.BTreeV2;
import io.jhdf.btree.record.AttributeNameForIndexedAttributesRecord;
import io.jhdf.btree.record.LinkNameForIndexedGroupRecord;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.message.AttributeInfoMessage;
import io.jhdf.object.message.AttributeMessage;
import io.jhdf.object.message.LinkInfoMessage;
import io.jhdf.object.message.LinkMessage;
import io.jhdf.object.message.SymbolTableMessage;
import io.jhdf.storage.HdfBackingStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Lists the links of a group and the attributes of an object in creation order, as netCDF-C does.
 *
 * <p>jhdf returns both as hash maps (no order) and cannot read dense storage of real files (see
 * {@link FractalHeapReader}), so this reads the object headers itself with jhdf's message parsers.
 */
final class ObjectHeaders {
  private static final int DATASPACE_MESSAGE = 0x01;
  private static final int DATATYPE_MESSAGE = 0x03;
  private static final int ATTRIBUTE_MESSAGE = 0x0C;
  private static final int CONTINUATION_MESSAGE = 0x10;

  /** A hard link from a group to an object. */
  record Link(String name, long address) {}

  private final HdfFile file;
  private final HdfBackingStorage storage;

  ObjectHeaders(HdfFile file) {
    this.file = file;
    this.storage = file.getHdfBackingStorage();
  }

  ObjectHeader header(long objectAddress) {
    return ObjectHeader.readObjectHeader(storage, objectAddress);
  }

  /**
   * The hard links of the group at {@code groupAddress}: by creation order when the file tracks it
   * (every NetCDF-4 file does), else by name, like netCDF-C.
   */
  List<Link> links(long groupAddress) {
    ObjectHeader oh = header(groupAddress);
    List<Link> out = new ArrayList<>();
    if (oh.hasMessageOfType(LinkInfoMessage.class)) {
      LinkInfoMessage info = oh.getMessageOfType(LinkInfoMessage.class);
      List<LinkMessage> messages;
      if (info.getFractalHeapAddress() == Constants.UNDEFINED_ADDRESS) {
        messages = new ArrayList<>(oh.getMessagesOfType(LinkMessage.class));
      } else {
        FractalHeapReader heap = new FractalHeapReader(storage, info.getFractalHeapAddress());
        messages = new ArrayList<>();
        BTreeV2<LinkNameForIndexedGroupRecord> index =
            new BTreeV2<>(storage, info.getBTreeNameIndexAddress());
        for (LinkNameForIndexedGroupRecord r : index.getRecords()) {
          messages.add(LinkMessage.fromBuffer(heap.object(r.getId()), storage.getSuperblock()));
        }
      }
      Comparator<LinkMessage> byName = Comparator.comparing(LinkMessage::getLinkName);
      messages.sort(
          info.isLinkCreationOrderTracked()
              ? Comparator.comparingLong(LinkMessage::getCreationOrder).thenComparing(byName)
              : byName);
      for (LinkMessage m : messages) {
        if (m.getLinkType() == LinkMessage.LinkType.HARD) {
          out.add(new Link(m.getLinkName(), m.getHardLinkAddress()));
        }
      }
    } else if (oh.hasMessageOfType(SymbolTableMessage.class)) {
      // Old-style groups keep no creation order; jhdf reads their symbol tables correctly.
      Node group = file.getNodeByAddress(groupAddress);
      if (group instanceof io.jhdf.api.Group g) {
        for (Map.Entry<String, Node> e : g.getChildren().entrySet()) {
          if (!e.getValue().isLink()) {
            out.add(new Link(e.getKey(), e.getValue().getAddress()));
          }
        }
      }
      out.sort(Comparator.comparing(Link::name));
    }
    return out;
  }

  /**
   * The attributes of the object at {@code objectAddress}: dense ones by creation order, compact
   * ones in header order (which is their creation order).
   */
  List<AttributeMessage> attributes(ObjectHeader oh) {
    List<AttributeMessage> out = new ArrayList<>();
    if (oh.hasMessageOfType(AttributeInfoMessage.class)) {
      AttributeInfoMessage info = oh.getMessageOfType(AttributeInfoMessage.class);
      if (info.getFractalHeapAddress() != Constants.UNDEFINED_ADDRESS) {
        FractalHeapReader heap = new FractalHeapReader(storage, info.getFractalHeapAddress());
        List<AttributeNameForIndexedAttributesRecord> records =
            new ArrayList<>(
                new BTreeV2<AttributeNameForIndexedAttributesRecord>(
                        storage, info.getAttributeNameBTreeAddress())
                    .getRecords());
        records.sort(
            Comparator.comparingLong(AttributeNameForIndexedAttributesRecord::getCreationOrder));
        for (AttributeNameForIndexedAttributesRecord r : records) {
          out.add(new AttributeMessage(heap.object(r.getHeapId()), storage, r.getFlags()));
        }
      }
    }
    List<AttributeMessage> compact;
    try {
      compact = compactAttributes(oh);
    } catch (RuntimeException e) {
      // Order is cosmetic: fall back to jhdf's order rather than reject the file.
      compact = null;
    }
    out.addAll(compact != null ? compact : oh.getMessagesOfType(AttributeMessage.class));
    return out;
  }

  /** One header message as stored: its type, flags, creation order (or position) and bytes. */
  record RawMessage(int type, BitSet flags, int order, ByteBuffer data) {}

  /** What an object header describes, judged by its messages as HDF5 does. */
  enum Kind {
    DATASET,
    GROUP,
    DATATYPE
  }

  /**
   * The messages of the object header at {@code address}, read without jhdf (which fails on the
   * whole header when one message, such as an opaque datatype, does not parse), chunk by chunk in
   * HDF5's native order.
   */
  List<RawMessage> rawMessages(long address) {
    boolean v2 = isVersion2(address);
    boolean ordered = false;
    List<long[]> blocks = new ArrayList<>();
    if (v2) {
      ByteBuffer prefix = FileRegion.read(storage, address, 6);
      int flags = prefix.get(5) & 0xFF;
      ordered = (flags & 0x04) != 0;
      int sizeBytes = 1 << (flags & 0x3);
      int skip = ((flags & 0x20) != 0 ? 16 : 0) + ((flags & 0x10) != 0 ? 4 : 0);
      ByteBuffer sizeField = FileRegion.read(storage, address + 6 + skip, sizeBytes);
      long chunkSize = Utils.readBytesAsUnsignedLong(sizeField, sizeBytes);
      blocks.add(new long[] {address + 6 + skip + sizeBytes, chunkSize});
    } else {
      ByteBuffer prefix = FileRegion.read(storage, address, 16);
      if (prefix.get(0) != 1) {
        throw new HdfException("no object header at " + address);
      }
      blocks.add(new long[] {address + 16, Integer.toUnsignedLong(prefix.getInt(8))});
    }
    List<RawMessage> out = new ArrayList<>();
    for (int b = 0; b < blocks.size() && b < 10_000; b++) {
      ByteBuffer bb = FileRegion.read(storage, blocks.get(b)[0], blocks.get(b)[1]);
      if (v2 && b > 0) {
        bb.position(4); // "OCHK"; version-2 continuation chunks end with a checksum
        bb.limit(bb.limit() - 4);
      }
      int headerSize = v2 ? (ordered ? 6 : 4) : 8;
      while (bb.remaining() >= headerSize) {
        int type = v2 ? bb.get() & 0xFF : Utils.readBytesAsUnsignedInt(bb, 2);
        int size = Utils.readBytesAsUnsignedInt(bb, 2);
        BitSet flags = BitSet.valueOf(new byte[] {bb.get()});
        int order = out.size();
        if (ordered) {
          order = Utils.readBytesAsUnsignedInt(bb, 2);
        } else if (!v2) {
          bb.position(bb.position() + 3);
        }
        if (size > bb.remaining()) {
          break;
        }
        ByteBuffer data = Utils.createSubBuffer(bb, size);
        if (type == CONTINUATION_MESSAGE) {
          ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
          long at = Utils.readBytesAsUnsignedLong(d, storage.getSizeOfOffsets());
          long len = Utils.readBytesAsUnsignedLong(d, storage.getSizeOfLengths());
          blocks.add(new long[] {at, len});
        }
        out.add(new RawMessage(type, flags, order, data));
      }
    }
    return out;
  }

  private boolean isVersion2(long address) {
    ByteBuffer sig = FileRegion.read(storage, address, 4);
    return sig.get(0) == 'O' && sig.get(1) == 'H' && sig.get(2) == 'D' && sig.get(3) == 'R';
  }

  /** Dataset (has a dataspace), committed datatype (a datatype only) or group. */
  Kind kind(List<RawMessage> messages) {
    boolean dataspace = false;
    boolean datatype = false;
    for (RawMessage m : messages) {
      dataspace |= m.type() == DATASPACE_MESSAGE;
      datatype |= m.type() == DATATYPE_MESSAGE;
    }
    return dataspace ? Kind.DATASET : datatype ? Kind.DATATYPE : Kind.GROUP;
  }

  /**
   * The HDF5 class of a dataset's datatype (compound, enum, opaque...), following a committed
   * (shared) datatype to its own header; "unknown" if it cannot be told.
   */
  String datatypeClass(List<RawMessage> messages, int depth) {
    for (RawMessage m : messages) {
      if (m.type() != DATATYPE_MESSAGE) {
        continue;
      }
      ByteBuffer d = m.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
      if (m.flags().get(1) && depth < 4) {
        int version = d.get() & 0xFF;
        int sharedType = d.get() & 0xFF;
        if (version == 1) {
          d.position(d.position() + 6);
        } else if (sharedType != 2) {
          return "unknown";
        }
        long at = Utils.readBytesAsUnsignedLong(d, storage.getSizeOfOffsets());
        return datatypeClass(rawMessages(at), depth + 1);
      }
      int cls = d.get(0) & 0x0F;
      return switch (cls) {
        case 0 -> "integer";
        case 1 -> "floating point";
        case 2 -> "time";
        case 3 -> "string";
        case 4 -> "bitfield";
        case 5 -> "opaque";
        case 6 -> "compound";
        case 7 -> "reference";
        case 8 -> "enum";
        case 9 -> "variable-length (vlen)";
        case 10 -> "array";
        default -> "class " + cls;
      };
    }
    return "unknown";
  }

  /**
   * The attribute messages stored in an object header, in the order netCDF-C lists them: by the
   * creation order each message header records when the object tracks it, else in HDF5's native
   * order (header chunk by chunk). jhdf reads continuation chunks where their message sits and
   * drops the creation order, and netCDF-C rewrites {@code _FillValue} and others in the space of
   * deleted messages, so neither position nor jhdf's list follows creation order.
   */
  private List<AttributeMessage> compactAttributes(ObjectHeader oh) {
    List<RawMessage> messages = new ArrayList<>(rawMessages(oh.getAddress()));
    messages.sort(Comparator.comparingInt(RawMessage::order));
    List<AttributeMessage> out = new ArrayList<>();
    for (RawMessage m : messages) {
      if (m.type() == ATTRIBUTE_MESSAGE) {
        if (m.flags().get(1)) {
          throw new HdfException("shared attribute message at " + oh.getAddress());
        }
        out.add(
            new AttributeMessage(
                m.data().duplicate().order(ByteOrder.LITTLE_ENDIAN), storage, m.flags()));
      }
    }
    return out;
  }
}
