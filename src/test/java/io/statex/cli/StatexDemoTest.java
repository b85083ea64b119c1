package io.statex.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.eval.Cell;
import io.statex.eval.EvalResults;
import io.statex.eval.ModelResult;
import io.statex.eval.ResultsJson;
import io.statex.tensor.Device;
import io.statex.testing.Seeds;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's whole pipeline at a reduced size: both families, both branches, every length, and its JSON report. */
class StatexDemoTest {

  @Test
  void runsEndToEndAndReportsEveryField() throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    StatexDemo demo = new StatexDemo(StatexDemo.Setting.smoke(), Device.CPU,
        new PrintStream(log, true, StandardCharsets.UTF_8), Seeds.fresh("demo"));
    List<StatexDemo.Row> rows = demo.run();
    assertEquals(6, rows.size(), "two families x (base, LPT, StateX)");
    String table = demo.table(rows);
    for (String name : new String[] {"GLA", "Mamba2", "base", "LPT", "StateX"}) {
      assertTrue(table.contains(name), "the table misses " + name + ":\n" + table);
    }
    EvalResults r = ResultsJson.read(ResultsJson.write(demo.results(rows)));
    assertEquals("mqar", r.task());
    assertEquals(List.of(32, 64), r.grid().lengths());
    assertEquals(6, r.models().size());
    for (String key : new String[] {"keys", "values", "tokens_per_pair", "short_length", "long_length", "pretrain_steps",
        "continue_steps", "batch_tokens", "selection", "device"}) {
      assertTrue(r.settings().containsKey(key), "settings miss " + key + ": " + r.settings());
    }
    for (ModelResult m : r.models()) {
      assertTrue(m.stateSize() > 0 && m.parameters() > 0, m.name());
      assertEquals(2, m.cells().size(), m.name());
      for (Cell c : m.cells()) {
        assertTrue(c.score() >= 0 && c.score() <= 1 && c.scored() > 0, m.name() + " " + c);
      }
    }
    assertTrue(r.models().get(2).stateSize() > r.models().get(1).stateSize(), "StateX must enlarge the GLA state");
    assertTrue(r.models().get(5).stateSize() > r.models().get(4).stateSize(), "StateX must enlarge the Mamba2 state");
  }
}
