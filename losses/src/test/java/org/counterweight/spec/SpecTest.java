package org.counterweight.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecTest {

    @Test
    void parsesBareName() {
        Spec s = Spec.parse(" CE ");
        assertEquals("ce", s.name());
        assertTrue(s.params().isEmpty());
        assertEquals("ce", Spec.parse("ce()").name());
    }

    @Test
    void parsesParametersInOrder() {
        Spec s = Spec.parse("cb(beta=0.9999, base=focal, gamma=1.0)");
        assertEquals("cb", s.name());
        assertEquals(Map.of("beta", "0.9999", "base", "focal", "gamma", "1.0"), s.params());
        assertEquals(List.of("beta", "base", "gamma"), List.copyOf(s.params().keySet()));
        assertEquals(0.9999, s.getDouble("beta", 0.5, b -> b > 0 && b < 1, "in (0, 1)"), 0);
    }

    @Test
    void listValuesContinueOverCommas() {
        Spec s = Spec.parse("mlp(hidden=16,8,activation=relu,dropout=0)");
        assertArrayEquals(new int[] {16, 8}, s.getIntList("hidden", null));
        assertEquals("relu", s.getString("activation", "tanh"));
        assertArrayEquals(new double[] {0.25, 0.75}, Spec.parse("focal(alpha=0.25,0.75)").getDoubleList("alpha"), 0);
    }

    @Test
    void nestedSpecsStayWhole() {
        Spec s = Spec.parse("crt(stage1=ce, stage2=cb(beta=0.99,base=focal))");
        assertEquals("cb(beta=0.99,base=focal)", s.getString("stage2", null));
        assertEquals("focal", Spec.parse(s.getString("stage2", null)).getString("base", null));
    }

    @Test
    void defaultsApplyWhenAbsent() {
        Spec s = Spec.parse("ldam");
        assertEquals(0.5, s.getDouble("max_margin", 0.5, m -> m > 0, "> 0"), 0);
        assertEquals(3, s.getInt("k", 3, 1, 10));
        assertTrue(s.getBoolean("flag", true));
    }

    @Test
    void unknownParameterListsAllowed() {
        SpecException e = assertThrows(SpecException.class,
                () -> Spec.parse("focal(gama=2)").requireOnly("gamma", "alpha"));
        assertEquals("focal: unknown parameter 'gama' (allowed: alpha, gamma)", e.getMessage());
    }

    @Test
    void badValuesNameParameterAndRule() {
        Spec s = Spec.parse("focal(gamma=-1, k=x, on=maybe)");
        assertEquals("focal: gamma=-1 is out of range (must be >= 0)",
                assertThrows(SpecException.class, () -> s.getDouble("gamma", 2, g -> g >= 0, ">= 0")).getMessage());
        assertEquals("focal: k=x is not an integer",
                assertThrows(SpecException.class, () -> s.getInt("k", 1, 0, 9)).getMessage());
        assertEquals("focal: on=maybe is not true|false",
                assertThrows(SpecException.class, () -> s.getBoolean("on", false)).getMessage());
        assertThrows(SpecException.class, () -> Spec.parse("focal(gamma=nan)").getDouble("gamma", 2, g -> true, "finite"));
    }

    @Test
    void malformedSpecsFail() {
        for (String bad : new String[] {"", "focal(gamma=2", "focal(gamma=2))", "(x=1)", "focal(2)", "a(x=1,x=2)", "a(x=1,,y=2)"}) {
            assertThrows(SpecException.class, () -> Spec.parse(bad), bad);
        }
    }

    @Test
    void choiceIsValidated() {
        Spec s = Spec.parse("cb(base=Focal)");
        assertEquals("focal", s.getChoice("base", "ce", "ce", "focal", "sigmoid"));
        assertThrows(SpecException.class, () -> Spec.parse("cb(base=hinge)").getChoice("base", "ce", "ce", "focal"));
    }
}
