package io.zarrsync.cli;

import io.zarrsync.core.convert.ConvertOptions;
import io.zarrsync.core.convert.ConvertResult;
import io.zarrsync.core.convert.Converter;
import io.zarrsync.zarr.Codec;
import io.zarrsync.zarr.ZarrFormat;
import io.zarrsync.zarr.store.FileSystemStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zarrsync convert}: NetCDF files into one new Zarr store. */
@Command(
    name = "convert",
    mixinStandardHelpOptions = true,
    description = {
      "Concatenate NetCDF files along their unlimited dimension (or their first dimension)",
      "into one new Zarr store. All files are checked before anything is written."
    })
final class ConvertCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", arity = "1..*", description = "NetCDF files, in order.")
  List<Path> files;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "STORE",
      description = "Zarr store directory.")
  Path store;

  @Option(
      names = "--chunks",
      paramLabel = "DIM=N[,DIM=N...]",
      split = ",",
      description = "Chunk length per dimension, e.g. time=1,lat=1000,lon=1000.")
  Map<String, Integer> chunks = new LinkedHashMap<>();

  @Option(
      names = "--compressor",
      paramLabel = "ID[:LEVEL]",
      defaultValue = "zstd:1",
      description = "zstd:LEVEL, zlib:LEVEL or none (default: ${DEFAULT-VALUE}).")
  String compressor;

  @Option(
      names = "--zarr-format",
      paramLabel = "2|3",
      defaultValue = "2",
      description = "Zarr format version (default: ${DEFAULT-VALUE}).")
  int zarrFormat;

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: cores).")
  Integer threads;

  @Option(names = "--overwrite", description = "Replace a Zarr store that already exists there.")
  boolean overwrite;

  @Option(names = "--json", description = "Print a JSON summary.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ConvertOptions options =
        ConvertOptions.defaults()
            .withChunks(chunks)
            .withCompressor(parseCodec(compressor))
            .withFormat(format())
            .withOverwrite(overwrite);
    if (threads != null) {
      options = options.withThreads(threads);
    }
    ConvertResult result;
    try (Progress progress = new Progress("convert", !json)) {
      result =
          new Converter(options)
              .convert(
                  files,
                  new FileSystemStore(store, false),
                  new Converter.Listener() {
                    @Override
                    public void started(long total) {
                      progress.start(total);
                    }

                    @Override
                    public void advanced(long n) {
                      progress.step(n);
                    }
                  });
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.write(result));
    } else {
      out.printf(
          Locale.ROOT,
          "converted %d file(s), %.1f MB, along '%s' into %s: %d arrays, %d chunks in %.2f s (%.1f MB/s)%n",
          result.files(),
          result.sourceBytes() / 1e6,
          result.appendDimension(),
          store,
          result.arrays().size(),
          result.chunksWritten(),
          result.seconds(),
          result.sourceBytes() / 1e6 / Math.max(result.seconds(), 1e-9));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private ZarrFormat format() {
    return switch (zarrFormat) {
      case 2 -> ZarrFormat.V2;
      case 3 -> ZarrFormat.V3;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--zarr-format must be 2 or 3, not " + zarrFormat);
    };
  }

  private Codec parseCodec(String text) {
    String[] parts = text.toLowerCase(Locale.ROOT).split(":", 2);
    try {
      return switch (parts[0]) {
        case "zstd" -> Codec.zstd(parts.length > 1 ? Integer.parseInt(parts[1]) : 3);
        case "zlib" -> Codec.zlib(parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
        case "none" -> Codec.none();
        default ->
            throw new ParameterException(
                spec.commandLine(),
                "--compressor must be zstd[:LEVEL], zlib[:LEVEL] or none, not '" + text + "'");
      };
    } catch (NumberFormatException e) {
      throw new ParameterException(
          spec.commandLine(), "--compressor level must be a number, not '" + parts[1] + "'");
    }
  }
}
