package io.spinoff.runtime.internal.cell;

/** The rules for actor names. Not API. */
public final class ActorNames {

    /** The longest name, in characters (as a file name on most systems). */
    private static final int MAX_LENGTH = 255;
    /** How much of a name too long to use the error message shows. */
    private static final int SHOWN_PREFIX = 20;

    private ActorNames() {}

    /**
     * @param name an actor's name
     * @return the name
     * @throws IllegalArgumentException naming what is wrong with it and what is allowed
     */
    public static String validate(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("An actor name must not be empty; give a name such as \"counter\".");
        }
        if (name.startsWith("$")) {
            throw new IllegalArgumentException("Actor name '" + name + "' starts with '$', which is reserved for"
                    + " generated names; start it with a letter or digit.");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Actor name '" + name.substring(0, SHOWN_PREFIX) + "...' is " + name.length()
                    + " characters long; use at most " + MAX_LENGTH + ".");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean allowed = c < 128 && (Character.isLetterOrDigit(c) || "-_.*+:@&=,!~';$".indexOf(c) >= 0);
            if (!allowed) {
                throw new IllegalArgumentException("Actor name '" + name + "' contains '" + c + "' at " + i
                        + "; use ASCII letters, digits and -_.*+:@&=,!~';");
            }
        }
        return name;
    }
}
