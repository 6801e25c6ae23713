package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's API does not expose its implementation: no public or protected member of a public
 * type in {@code io.spinoff.runtime} or {@code io.spinoff.runtime.remote} names a type of an
 * {@code internal} package (in its signature, supertypes or thrown types), and what an API method
 * returns is not an internal object that a cast would open.
 */
class ApiBoundaryTest {

    private static final List<String> API_PACKAGES = List.of("io.spinoff.runtime", "io.spinoff.runtime.remote");

    @Test
    void noPublicSignatureNamesAnInternalType() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : apiTypes()) {
            check(type + " extends", type.getGenericSuperclass(), leaks);
            for (Type implemented : type.getGenericInterfaces()) {
                check(type + " implements", implemented, leaks);
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) {
                    check(field.toString(), field.getGenericType(), leaks);
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor.getModifiers())) {
                    for (Type parameter : constructor.getGenericParameterTypes()) {
                        check(constructor.toString(), parameter, leaks);
                    }
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (visible(method.getModifiers()) && !method.isSynthetic()) {
                    check(method.toString(), method.getGenericReturnType(), leaks);
                    for (Type parameter : method.getGenericParameterTypes()) {
                        check(method.toString(), parameter, leaks);
                    }
                    for (Type thrown : method.getGenericExceptionTypes()) {
                        check(method.toString(), thrown, leaks);
                    }
                }
            }
        }
        assertEquals(List.of(), leaks, "public API members that name internal types");
    }

    @Test
    void metricsAreNotTheSystemsInternals() {
        try (ActorSystem system = ActorSystem.create("api-boundary")) {
            Object metrics = system.metrics();
            assertFalse(metrics.getClass().getPackageName().contains(".internal"),
                    "metrics() returns " + metrics.getClass() + ", whose public methods a cast would open");
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(String where, Type type, List<String> leaks) {
        if (type == null) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.getPackageName().contains(".internal")) {
                leaks.add(where + ": " + c.getName());
            }
        } else if (type instanceof ParameterizedType parameterized) {
            check(where, parameterized.getRawType(), leaks);
            for (Type argument : parameterized.getActualTypeArguments()) {
                check(where, argument, leaks);
            }
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                check(where, bound, leaks);
            }
            for (Type bound : wildcard.getLowerBounds()) {
                check(where, bound, leaks);
            }
        }
    }

    /** The public types (nested ones included) of the API packages, found in the compiled classes. */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(ActorSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : API_PACKAGES) {
            Path folder = classes.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals("package-info.class") || name.equals("module-info.class")) {
                        continue;
                    }
                    Class<?> type = Class.forName(pkg + "." + name.substring(0, name.length() - ".class".length()),
                            false, ActorSystem.class.getClassLoader());
                    if (Modifier.isPublic(type.getModifiers()) && !type.isAnonymousClass() && !type.isSynthetic()
                            && (type.getEnclosingClass() == null || Modifier.isPublic(type.getEnclosingClass().getModifiers()))) {
                        types.add(type);
                    }
                }
            }
        }
        return types;
    }
}
