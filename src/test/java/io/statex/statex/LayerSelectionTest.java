package io.statex.statex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.statex.nn.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerSelectionTest {

  @Test
  void theReleasedScriptsSelectTheReferenceLayers() {
    // scripts/gla_StateX.sh: drop_prop 6 on 24 layers; scripts/mamba2_StateX.sh: drop_prop 1 on 48
    assertEquals(List.of(0, 6, 12, 18), LayerSelection.referenceDefault(ModelConfig.Family.GLA, true).resolve(24));
    assertEquals(48, LayerSelection.referenceDefault(ModelConfig.Family.MAMBA2, true).resolve(48).size());
    assertEquals(List.of(0, 12, 24, 36), LayerSelection.every(12).resolve(48));
  }

  @ParameterizedTest(name = "every {0} of {1}")
  @CsvSource({"1,1", "1,7", "2,5", "3,7", "5,5", "7,3", "4,1", "6,25"})
  void everyNSelectsTheMultiplesOfNIncludingZero(int n, int layers) {
    List<Integer> want = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      if (i % n == 0) {
        want.add(i);
      }
    }
    List<Integer> got = LayerSelection.every(n).resolve(layers);
    assertEquals(want, got);
    assertEquals(0, got.get(0));
  }

  @Test
  void requireDividesRejectsARemainderOnlyWhenAsked() {
    assertEquals(List.of(0, 4), LayerSelection.every(4).resolve(7));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LayerSelection.Every(4, true).resolve(7));
    assertTrue(e.getMessage().contains("every = 4") && e.getMessage().contains("7"), e.getMessage());
    assertEquals(List.of(0, 4), new LayerSelection.Every(4, true).resolve(8));
  }

  @Test
  void everyMustBePositive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LayerSelection.every(0));
    assertTrue(e.getMessage().contains("every") && e.getMessage().contains("0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LayerSelection.every(-3));
  }

  @Test
  void anExplicitListIsSortedAndChecked() {
    assertEquals(List.of(0, 4, 8), LayerSelection.of(8, 0, 4).resolve(9));
    IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> LayerSelection.of(0, 9).resolve(9));
    assertTrue(range.getMessage().contains("layer 9") && range.getMessage().contains("0..8"), range.getMessage());
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> LayerSelection.of(2, 5, 2));
    assertTrue(dup.getMessage().contains("layer 2") && dup.getMessage().contains("twice"), dup.getMessage());
    IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> LayerSelection.of(-1));
    assertTrue(neg.getMessage().contains("-1"), neg.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> LayerSelection.of());
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
  }

  @Test
  void aModelNeedsLayers() {
    assertThrows(IllegalArgumentException.class, () -> LayerSelection.every(2).resolve(0));
    assertThrows(IllegalArgumentException.class, () -> LayerSelection.of(0).resolve(0));
  }

  @Test
  void descriptionsAreTheCliFlags() {
    assertEquals("--every 6", LayerSelection.every(6).describe());
    assertEquals("--every 6 --require-divides", new LayerSelection.Every(6, true).describe());
    assertEquals("--layers 8,0,4", LayerSelection.of(8, 0, 4).describe());
  }
}
