package io.spinoff.runtime.internal.cell;

/** The rules for actor names. Not API. */
public final class ActorNames {

    private ActorNames() {}

    static String validate(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("An actor name must not be empty; give a name such as \"counter\".");
        }
        if (name.startsWith("$")) {
            throw new IllegalArgumentException("Actor name '" + name + "' starts with '$', which is reserved for"
                    + " generated names; start it with a letter or digit.");
        }
        if (name.length() > 255) {
            throw new IllegalArgumentException("Actor name '" + name.substring(0, 20) + "...' is " + name.length()
                    + " characters long; use at most 255.");
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
