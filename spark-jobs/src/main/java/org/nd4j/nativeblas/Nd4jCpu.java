package org.nd4j.nativeblas;

/**
 * Compatibility shim for DL4J 1.0.0-M2, which asks for ND4J's native environment under its
 * pre-M2 class name before it lets a convolution or pooling layer run through oneDNN
 * ({@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment}
 * reflectively; M2 moved the class to {@code org.nd4j.linalg.cpu.nativecpu.bindings}). Without
 * this class the lookup fails and every layer falls back to DL4J's built-in im2col path, about 6x
 * slower on {@code cnn-small} (docs/STACK.md). Only the two methods the lookup calls exist.
 *
 * <p>The class name is what DL4J asks for, so the shim cannot move; it is listed with the other
 * DL4J-version-specific code in {@code org.counterweight.dl4j}, whose {@code Dl4jWorkaroundsTest}
 * fails when DL4J stops asking for it.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** Forwards to the M2 environment; the name and the two methods are what DL4J looks up. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        /** The single instance, as the native environment it stands for. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether libnd4j was built with oneDNN and may use it (true for the natives we ship). */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
