package org.counterweight.spec;

/**
 * A spec string (for a loss, layer, model, optimizer or method) that cannot be parsed or does
 * not fit what the component accepts. The message names the spec, the parameter and what is
 * allowed, so a CLI can print it as the one-line reason.
 */
public class SpecException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }
}
