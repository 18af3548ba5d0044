package io.zarrsync.cli;

import io.zarrsync.api.DataType;
import io.zarrsync.netcdf.Attribute;
import io.zarrsync.netcdf.Dimension;
import io.zarrsync.netcdf.NetcdfFile;
import io.zarrsync.netcdf.NetcdfFiles;
import io.zarrsync.netcdf.Variable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zarrsync inspect}: the header of a NetCDF file, like {@code ncdump -h}. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Print the dimensions, variables and attributes of a NetCDF file (like ncdump -h).")
final class InspectCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE", description = "A NetCDF-3 or NetCDF-4 file.")
  Path file;

  @Option(names = "--json", description = "Print JSON instead of CDL.")
  boolean json;

  @Spec CommandSpec spec;

  /** The JSON form of a file header. */
  record Header(
      String path,
      String format,
      List<Dimension> dimensions,
      List<VariableHeader> variables,
      Map<String, Object> attributes) {}

  /** The JSON form of a variable header. */
  record VariableHeader(
      String name,
      String type,
      List<String> dimensions,
      List<Long> shape,
      Map<String, Object> attributes) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (NetcdfFile nc = NetcdfFiles.open(file)) {
      if (json) {
        out.println(Json.write(header(nc)));
      } else {
        printCdl(nc, out);
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  static Header header(NetcdfFile nc) {
    List<VariableHeader> vars = new ArrayList<>();
    for (Variable v : nc.variables()) {
      vars.add(
          new VariableHeader(
              v.name(),
              typeName(v.dataType()),
              v.dimensions().stream().map(Dimension::name).toList(),
              java.util.Arrays.stream(v.shape()).boxed().toList(),
              attributes(v.attributes())));
    }
    return new Header(
        nc.path().toString(),
        nc.format().name().toLowerCase(java.util.Locale.ROOT),
        nc.dimensions(),
        vars,
        attributes(nc.globalAttributes()));
  }

  private static Map<String, Object> attributes(List<Attribute> attrs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Attribute a : attrs) {
      out.put(
          a.name(),
          a.type() == DataType.CHAR || a.values().size() != 1 ? jsonValues(a) : a.values().get(0));
    }
    return out;
  }

  private static Object jsonValues(Attribute a) {
    return a.type() == DataType.CHAR ? a.values().get(0) : a.values();
  }

  static String typeName(DataType t) {
    return switch (t) {
      case BYTE -> "byte";
      case UBYTE -> "ubyte";
      case SHORT -> "short";
      case USHORT -> "ushort";
      case INT -> "int";
      case UINT -> "uint";
      case LONG -> "int64";
      case ULONG -> "uint64";
      case FLOAT -> "float";
      case DOUBLE -> "double";
      case CHAR -> "char";
      case STRING -> "string";
    };
  }

  private static void printCdl(NetcdfFile nc, PrintWriter out) {
    String name = nc.path().getFileName().toString().replaceFirst("\\.nc4?$", "");
    out.println(
        "netcdf "
            + name
            + " { // format: "
            + nc.format().name().toLowerCase(java.util.Locale.ROOT));
    out.println("dimensions:");
    for (Dimension d : nc.dimensions()) {
      if (d.unlimited()) {
        out.println("\t" + d.name() + " = UNLIMITED ; // (" + d.length() + " currently)");
      } else {
        out.println("\t" + d.name() + " = " + d.length() + " ;");
      }
    }
    out.println("variables:");
    for (Variable v : nc.variables()) {
      String dims =
          v.dimensions().isEmpty()
              ? ""
              : "("
                  + String.join(", ", v.dimensions().stream().map(Dimension::name).toList())
                  + ")";
      out.println("\t" + typeName(v.dataType()) + " " + v.name() + dims + " ;");
      for (Attribute a : v.attributes()) {
        out.println("\t\t" + v.name() + ":" + a.name() + " = " + cdlValue(a) + " ;");
      }
    }
    if (!nc.globalAttributes().isEmpty()) {
      out.println();
      out.println("// global attributes:");
      for (Attribute a : nc.globalAttributes()) {
        out.println("\t\t:" + a.name() + " = " + cdlValue(a) + " ;");
      }
    }
    out.println("}");
  }

  private static String cdlValue(Attribute a) {
    if (a.type() == DataType.CHAR || a.type() == DataType.STRING) {
      List<String> parts = new ArrayList<>();
      for (Object v : a.values()) {
        parts.add(quote(String.valueOf(v)));
      }
      return String.join(", ", parts);
    }
    String suffix =
        switch (a.type()) {
          case BYTE -> "b";
          case UBYTE -> "UB";
          case SHORT -> "s";
          case USHORT -> "US";
          case UINT -> "U";
          case LONG -> "LL";
          case ULONG -> "ULL";
          case FLOAT -> "f";
          default -> "";
        };
    List<String> parts = new ArrayList<>();
    for (Object v : a.values()) {
      parts.add(v + suffix);
    }
    return String.join(", ", parts);
  }

  private static String quote(String s) {
    return "\""
        + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t")
        + "\"";
  }
}
