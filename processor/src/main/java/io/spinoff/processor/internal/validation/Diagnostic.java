package io.spinoff.processor.internal.validation;

import javax.lang.model.element.Element;

/**
 * One error, attached to the element a user should fix.
 *
 * @param element the offending element: a method, a parameter or the protocol itself
 * @param id the stable error identifier
 * @param message a full sentence that ends with the fix
 */
public record Diagnostic(Element element, ErrorId id, String message) {

    /** @return the text printed by the compiler: {@code [Id] message} */
    public String text() {
        return "[" + id + "] " + message;
    }
}
