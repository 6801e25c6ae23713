package io.spinoff.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import io.spinoff.api.support.MessagesOf;
import io.spinoff.processor.internal.model.ModelBuilder;
import io.spinoff.processor.internal.model.ProtocolModel;
import io.spinoff.processor.internal.validation.Diagnostic;
import io.spinoff.processor.internal.validation.ErrorId;
import io.spinoff.processor.internal.validation.ProtocolValidator;
import io.spinoff.processor.internal.validation.ValidationReport;
import io.spinoff.processor.internal.writing.DefinitionWriter;
import io.spinoff.processor.internal.writing.MessageWriter;
import io.spinoff.processor.internal.writing.RefWriter;
import io.spinoff.processor.internal.writing.SourceWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Generated;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;

/**
 * Generates, for every interface annotated {@code @io.spinoff.api.ActorProtocol}, its message
 * records ({@code CounterMessage}), its typed proxy ({@code CounterRef}) and its definition
 * ({@code CounterProtocol}: descriptors, dispatch table, binary codec, proxy factory).
 *
 * <h2>Pipeline</h2>
 * Each round goes <b>collect → validate → model → write</b>:
 * <ol>
 *   <li><b>collect</b>: the annotated elements of the round, plus the protocols put off by earlier
 *       rounds (kept by qualified name, since elements do not survive rounds);</li>
 *   <li><b>validate</b> ({@code internal.validation}): {@code ProtocolValidator} checks every rule
 *       and returns a report of errors, each on its element with a stable ID in brackets, and builds
 *       nothing. A protocol that uses a type not generated yet (an error type) is put off to the next
 *       round; in the last round what is still unresolved is reported;</li>
 *   <li><b>model</b> ({@code internal.model}): {@code ModelBuilder} turns a valid protocol into an
 *       immutable {@code ProtocolModel} that holds no {@code javax.lang.model} types;</li>
 *   <li><b>write</b> ({@code internal.writing}): one writer per generated file, sharing a base that
 *       adds {@code @Generated} and the originating element; writers read only the model.</li>
 * </ol>
 * The packages depend only downward: {@code model} on nothing of the processor, {@code validation}
 * and {@code writing} on {@code model} (validation reads a protocol's methods and types through the
 * model stage's {@code ProtocolMembers} and {@code TypeClassifier}, so that both stages agree), and
 * this class on all three. {@code ProcessorPackagesTest} checks it.
 *
 * <h2>Guarantees</h2>
 * The processor reports all errors of a round, not just the first; it never crashes the compiler
 * (an exception becomes a {@code [ProcessorError]} on the protocol being processed); its output is
 * deterministic (the same input gives byte-identical files: methods are ordered by name, helpers by
 * first use, and nothing depends on time or hash order); it is isolating for incremental builds
 * (every file has exactly one originating element, the protocol); it runs under javac and under
 * Eclipse's compiler.
 *
 * <h2>Claiming</h2>
 * A build with {@code -Xlint:all -Werror} fails on javac's "No processor claimed any of these
 * annotations" unless every annotation of every round is claimed, so the processor claims its own
 * annotations, {@code @ActorProtocol}, {@code @AskTimeout} and the {@code @MessagesOf} its output
 * carries, which mean nothing to any other processor. It also claims
 * {@code @javax.annotation.processing.Generated}, which its own output
 * carries into the next round, but only in a round where every element so annotated was generated
 * by this processor: it never takes another generator's {@code @Generated}. As {@link #process}
 * returns one answer for all the annotations it is offered, a round that also holds another
 * generator's {@code @Generated} is claimed by nobody (javac would warn about that
 * {@code @Generated} in any case). Claiming only keeps other processors from being offered these
 * annotations; javac still calls this processor in every later round, which is what putting
 * protocols off relies on.
 *
 * <p>The option {@value #FAIL_ON_OPTION}, naming a protocol, makes the processor throw while it
 * processes that protocol; it exists to test that failures become compile errors.
 */
@AutoService(Processor.class)
public final class ActorProtocolProcessor extends AbstractProcessor {

    /** The annotation that marks a protocol. */
    static final String ANNOTATION = ActorProtocol.class.getCanonicalName();

    /** The annotation on an ask method, read while validating its protocol. */
    static final String ASK_TIMEOUT = AskTimeout.class.getCanonicalName();

    /** The annotation on every generated message interface, naming its protocol. */
    static final String MESSAGES_OF = MessagesOf.class.getCanonicalName();

    /** The annotation on every generated type; claimed only in rounds where it marks nothing else. */
    static final String GENERATED = Generated.class.getCanonicalName();

    /** Test hook: the qualified name of a protocol on which the processor throws. */
    public static final String FAIL_ON_OPTION = "spinoff.processor.failOn";

    private final List<SourceWriter> writers = List.of(new MessageWriter(), new RefWriter(), new DefinitionWriter());
    /** Qualified names of protocols put off to a later round, in the order they were met. */
    private final Set<String> deferred = new LinkedHashSet<>();
    /** Qualified names of protocols already generated (or already reported), never processed twice. */
    private final Set<String> done = new LinkedHashSet<>();
    /**
     * Qualified names of the types generated so far, each with the protocol it was generated for, so
     * that two protocols whose generated names coincide get a clear error instead of a write failure.
     */
    private final Map<String, String> generatedBy = new LinkedHashMap<>();

    /** Creates the processor; the compiler calls this through the service loader. */
    public ActorProtocolProcessor() {}

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(ANNOTATION, ASK_TIMEOUT, MESSAGES_OF, GENERATED);
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(FAIL_ON_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Map<String, TypeElement> protocols = collect(round);
        ProtocolValidator validator = new ProtocolValidator(processingEnv);
        for (Map.Entry<String, TypeElement> entry : protocols.entrySet()) {
            String name = entry.getKey();
            TypeElement element = entry.getValue();
            try {
                processOne(name, element, validator, round.processingOver());
            } catch (RuntimeException | LinkageError e) {
                done.add(name);
                deferred.remove(name);
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                report(new Diagnostic(element, ErrorId.ProcessorError, "The Spinoff processor failed on " + name
                        + ": " + trace + "Please report this with the protocol's source; until it is fixed,"
                        + " simplify the protocol's types around the failing step."));
            }
        }
        return claims(annotations, round);
    }

    /**
     * Decides whether this round's annotations are claimed: always, unless {@code @Generated} marks
     * an element that this processor did not generate (see "Claiming" in the class comment).
     */
    private static boolean claims(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            if (!annotation.getQualifiedName().contentEquals(GENERATED)) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                Generated generated = element.getAnnotation(Generated.class);
                if (generated == null || !List.of(generated.value()).contains(SourceWriter.GENERATOR)) {
                    return false;
                }
            }
        }
        return true;
    }

    private Map<String, TypeElement> collect(RoundEnvironment round) {
        Map<String, TypeElement> protocols = new LinkedHashMap<>();
        for (String name : new ArrayList<>(deferred)) {
            TypeElement element = processingEnv.getElementUtils().getTypeElement(name);
            if (element != null) {
                protocols.put(name, element);
            }
        }
        TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
        if (annotation == null) {
            return protocols;
        }
        for (Element element : round.getElementsAnnotatedWith(annotation)) {
            if (element instanceof TypeElement type) {
                String name = type.getQualifiedName().toString();
                if (!done.contains(name)) {
                    protocols.putIfAbsent(name, type);
                }
            }
        }
        return protocols;
    }

    private void processOne(String name, TypeElement element, ProtocolValidator validator, boolean lastRound) {
        if (name.equals(processingEnv.getOptions().get(FAIL_ON_OPTION))) {
            throw new IllegalStateException("failure requested by -A" + FAIL_ON_OPTION + "=" + name);
        }
        ValidationReport report = validator.validate(element);
        if (report.hasUnresolvedTypes() && !lastRound) {
            deferred.add(name);
            return;
        }
        deferred.remove(name);
        done.add(name);
        report.errors().forEach(this::report);
        report.unresolved().forEach(this::report);
        if (report.valid()) {
            write(new ModelBuilder(processingEnv).build(element), element);
        }
    }

    private void write(ProtocolModel model, TypeElement element) {
        boolean generatedAvailable =
                processingEnv.getElementUtils().getTypeElement("javax.annotation.processing.Generated") != null;
        String protocol = element.getQualifiedName().toString();
        List<JavaFile> files = new ArrayList<>();
        Map<String, String> collisions = new LinkedHashMap<>();
        for (SourceWriter writer : writers) {
            JavaFile file = writer.write(model, element, generatedAvailable);
            String owner = generatedBy.get(qualifiedName(file));
            if (owner != null && !owner.equals(protocol)) {
                collisions.put(qualifiedName(file), owner);
            }
            files.add(file);
        }
        if (!collisions.isEmpty()) {
            report(new Diagnostic(element, ErrorId.NameCollision, "The generated "
                    + (collisions.size() > 1 ? "types " : "type ") + String.join(", ", collisions.keySet())
                    + " for " + element.getSimpleName() + " would also be generated for "
                    + String.join(", ", new LinkedHashSet<>(collisions.values()))
                    + "; rename or move one of the protocols."));
            return;
        }
        for (JavaFile file : files) {
            generatedBy.put(qualifiedName(file), protocol);
            try {
                file.writeTo(processingEnv.getFiler());
            } catch (IOException e) {
                report(new Diagnostic(element, ErrorId.ProcessorError, "Could not write "
                        + qualifiedName(file) + ": " + e.getMessage()
                        + "; check that the generated-sources directory is writable."));
            }
        }
    }

    private static String qualifiedName(JavaFile file) {
        return file.packageName().isEmpty() ? file.typeSpec().name() : file.packageName() + "." + file.typeSpec().name();
    }

    private void report(Diagnostic diagnostic) {
        processingEnv.getMessager().printMessage(Kind.ERROR, diagnostic.text(), diagnostic.element());
    }
}
