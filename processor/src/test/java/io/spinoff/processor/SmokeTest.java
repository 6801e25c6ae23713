package io.spinoff.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.processor.samples.Counter;
import io.spinoff.processor.samples.CounterProtocol;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void compileTestingRuns() {
        Compilation c = javac().withProcessors(new ActorProtocolProcessor()).compile(JavaFileObjects.forSourceLines("p.Bad",
                "package p;", "@io.spinoff.api.ActorProtocol", "class Bad {}"));
        assertThat(c).hadErrorContaining("[NotAnInterface]");
    }

    @Test
    void generatedDefinitionIsFound() {
        org.junit.jupiter.api.Assertions.assertSame(CounterProtocol.INSTANCE, ProtocolDefinition.of(Counter.class));
    }
}
