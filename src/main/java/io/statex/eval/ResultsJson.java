package io.statex.eval;

import io.statex.io.json.Json;
import io.statex.io.json.JsonException;
import io.statex.io.json.JsonObject;
import io.statex.io.json.JsonWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@link EvalResults} as JSON (schema {@value #SCHEMA}; docs/eval.md describes every field). Numbers
 * are written in their shortest exact form, so a file read back gives the same doubles; a NaN (a
 * depth of a task without depths, a score of nothing) is written as null, as JSON has no NaN.
 */
public final class ResultsJson {
  public static final String SCHEMA = "statex-eval/1";

  private ResultsJson() {}

  public static String write(EvalResults r) {
    Map<String, String> top = new LinkedHashMap<>();
    top.put("schema", str(SCHEMA));
    top.put("task", str(r.task()));
    top.put("metric", str(r.metric().key()));
    top.put("grid", grid(r.grid()));
    Map<String, String> settings = new LinkedHashMap<>();
    new TreeMap<>(r.settings()).forEach((k, v) -> settings.put(k, str(v)));
    top.put("settings", object(settings, "    "));
    top.put("models", array(r.models(), ResultsJson::model, "    "));
    return object(top, "  ") + "\n";
  }

  /** Parses a results document; every field is checked and an error names its path. */
  public static EvalResults read(String json) throws JsonException {
    JsonObject o = Json.parseObject(json, "results");
    String schema = o.string("schema");
    if (!schema.equals(SCHEMA)) {
      throw new JsonException(o.pathOf("schema") + ": expected \"" + SCHEMA + "\", got \"" + schema + "\"");
    }
    Metric metric;
    try {
      metric = Metric.parse(o.string("metric"));
    } catch (IllegalArgumentException e) {
      throw new JsonException(o.pathOf("metric") + ": " + e.getMessage());
    }
    JsonObject s = o.object("settings");
    Map<String, String> settings = new LinkedHashMap<>();
    for (String k : s.keys()) {
      settings.put(k, s.string(k));
    }
    List<ModelResult> models = new ArrayList<>();
    List<io.statex.io.json.JsonValue> ms = o.array("models");
    for (int i = 0; i < ms.size(); i++) {
      models.add(model(JsonObject.of(ms.get(i), JsonObject.elementPath(o.pathOf("models"), i))));
    }
    return new EvalResults(o.string("task"), metric, grid(o.object("grid")), settings, models);
  }

  // ---- writing ----

  private static String grid(Grid g) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("lengths", "[" + String.join(", ", g.lengths().stream().map(String::valueOf).toList()) + "]");
    m.put("depths", "[" + String.join(", ", g.depths().stream().map(ResultsJson::num).toList()) + "]");
    m.put("examples", Integer.toString(g.examples()));
    m.put("seed", Long.toString(g.seed()));
    m.put("batch", Integer.toString(g.batch()));
    return object(m, "    ");
  }

  private static String model(ModelResult r) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("name", str(r.name()));
    m.put("checkpoint", str(r.checkpoint()));
    m.put("parameters", Long.toString(r.parameters()));
    m.put("state_size", Long.toString(r.stateSize()));
    m.put("wall_seconds", num(r.wallSeconds()));
    m.put("cells", array(r.cells(), ResultsJson::cell, "        "));
    return object(m, "      ");
  }

  private static String cell(Cell c) {
    return "{\"length\": " + c.length() + ", \"depth\": " + num(c.depth()) + ", \"examples\": " + c.examples()
        + ", \"scored\": " + c.scored() + ", \"score\": " + num(c.score()) + ", \"seconds\": " + num(c.seconds()) + "}";
  }

  private static String object(Map<String, String> fields, String indent) {
    if (fields.isEmpty()) {
      return "{}";
    }
    List<String> parts = new ArrayList<>();
    fields.forEach((k, v) -> parts.add(indent + str(k) + ": " + v));
    return "{\n" + String.join(",\n", parts) + "\n" + indent.substring(2) + "}";
  }

  private static <T> String array(List<T> items, Function<T, String> write, String indent) {
    if (items.isEmpty()) {
      return "[]";
    }
    List<String> parts = new ArrayList<>();
    items.forEach(t -> parts.add(indent + write.apply(t)));
    return "[\n" + String.join(",\n", parts) + "\n" + indent.substring(2) + "]";
  }

  private static String str(String s) {
    return JsonWriter.quote(s, false);
  }

  /** Shortest round-tripping decimal; null for NaN and infinities. */
  private static String num(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  // ---- reading ----

  private static Grid grid(JsonObject g) throws JsonException {
    List<Integer> lengths = new ArrayList<>();
    List<io.statex.io.json.JsonValue> ls = g.array("lengths");
    for (int i = 0; i < ls.size(); i++) {
      lengths.add(JsonObject.asInt(ls.get(i), JsonObject.elementPath(g.pathOf("lengths"), i), 1, Integer.MAX_VALUE));
    }
    List<Double> depths = new ArrayList<>();
    List<io.statex.io.json.JsonValue> ds = g.array("depths");
    for (int i = 0; i < ds.size(); i++) {
      depths.add(number(ds.get(i), JsonObject.elementPath(g.pathOf("depths"), i)));
    }
    try {
      return new Grid(lengths, depths, g.integer("examples", 1, Integer.MAX_VALUE), longField(g, "seed"),
          g.integer("batch", 1, Integer.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new JsonException(g.path() + ": " + e.getMessage());
    }
  }

  private static ModelResult model(JsonObject m) throws JsonException {
    List<Cell> cells = new ArrayList<>();
    List<io.statex.io.json.JsonValue> cs = m.array("cells");
    for (int i = 0; i < cs.size(); i++) {
      JsonObject c = JsonObject.of(cs.get(i), JsonObject.elementPath(m.pathOf("cells"), i));
      cells.add(new Cell(c.integer("length", 1, Integer.MAX_VALUE), nullableNumber(c, "depth"),
          c.integer("examples", 0, Integer.MAX_VALUE), longField(c, "scored"), nullableNumber(c, "score"),
          nullableNumber(c, "seconds")));
    }
    return new ModelResult(m.string("name"), m.string("checkpoint"), longField(m, "parameters"), longField(m, "state_size"),
        nullableNumber(m, "wall_seconds"), cells);
  }

  private static long longField(JsonObject o, String key) throws JsonException {
    return o.longInteger(key, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** A number, or NaN for null; the field itself must be present. */
  private static double nullableNumber(JsonObject o, String key) throws JsonException {
    if (!o.keys().contains(key)) {
      throw new JsonException(o.pathOf(key) + ": missing field");
    }
    io.statex.io.json.JsonValue v = o.get(key);  // null for JSON null
    return v == null ? Double.NaN : number(v, o.pathOf(key));
  }

  private static double number(io.statex.io.json.JsonValue v, String path) throws JsonException {
    return JsonObject.asAnyNumber(v, path);
  }
}
