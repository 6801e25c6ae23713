import io.spinoff.processor.ActorProtocolProcessor;
import javax.annotation.processing.Processor;

/**
 * The Spinoff annotation processor. It works from the processor path (found through its
 * {@code META-INF/services} entry) and from the processor module path (found through the
 * {@code provides} clause below). It exports nothing: compilers find it as a service, and
 * {@code -processor io.spinoff.processor.ActorProtocolProcessor} selects it by name on either path.
 */
// JavaPoet and AutoService's annotations are automatic modules, named in their manifests.
@SuppressWarnings("requires-automatic")
module io.spinoff.processor {
    requires java.compiler;
    requires io.spinoff.api;
    requires com.palantir.javapoet;
    requires static com.google.auto.service;

    provides Processor with ActorProtocolProcessor;
}
