package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.GenericDeclaration;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's API does not expose its implementation: its module exports only the API packages
 * {@code io.spinoff.runtime} and {@code io.spinoff.runtime.remote} (and the API module only its
 * own); no public or protected member of a public type in an exported package names a type of an
 * {@code internal} package (in its signature, type parameters, supertypes or thrown types); and
 * what an API method returns is not an internal object that a cast would open.
 */
class ApiBoundaryTest {

    private static final Set<String> API_PACKAGES = Set.of("io.spinoff.runtime", "io.spinoff.runtime.remote");

    @Test
    void theModulesExportTheirApiPackagesOnlyAndOpenNothing() throws Exception {
        ModuleDescriptor runtime = descriptor(classesOf(ActorSystem.class));
        assertEquals("io.spinoff.runtime", runtime.name());
        assertEquals(API_PACKAGES, exported(runtime));
        assertFalse(runtime.isOpen(), "an open module would open its internals to reflection");
        assertEquals(Set.of(), runtime.opens(), "the runtime opens no package");
        assertTrue(runtime.packages().stream().anyMatch(p -> p.contains(".internal")),
                "the module holds its internal packages, so the check above means something: " + runtime.packages());

        ModuleDescriptor api = descriptor(classesOf(ActorRef.class));
        assertEquals("io.spinoff.api", api.name());
        // io.spinoff.api.support is API too: the generated code in users' modules calls it.
        assertEquals(Set.of("io.spinoff.api", "io.spinoff.api.support"), exported(api));
        assertFalse(api.isOpen());
        assertEquals(Set.of(), api.opens());
    }

    @Test
    void noPublicSignatureNamesAnInternalType() throws Exception {
        Leaks leaks = new Leaks(type -> type.getPackageName().contains(".internal"));
        for (Class<?> type : apiTypes()) {
            leaks.typeParameters(type.toString(), type);
            leaks.check(type + " extends", type.getGenericSuperclass());
            for (Type implemented : type.getGenericInterfaces()) {
                leaks.check(type + " implements", implemented);
            }
            for (Field field : type.getDeclaredFields()) {
                if (visible(field.getModifiers())) {
                    leaks.check(field.toString(), field.getGenericType());
                }
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (visible(constructor.getModifiers())) {
                    leaks.signature(constructor);
                }
            }
            for (Method method : type.getDeclaredMethods()) {
                if (visible(method.getModifiers()) && !method.isSynthetic()) {
                    leaks.signature(method);
                    leaks.check(method.toString(), method.getGenericReturnType());
                }
            }
        }
        assertEquals(List.of(), leaks.found(), "public API members that name internal types");
    }

    /** The check itself: a hidden type in each place it looks is found, and a recursive bound ends. */
    @Test
    void theCheckFindsAHiddenTypeWhereverASignatureNamesIt() throws Exception {
        Map<String, Consumer<Leaks>> cases = new LinkedHashMap<>();
        cases.put("class", leaks -> leaks.check("class", Hidden.class));
        cases.put("array", leaks -> leaks.check("array", Hidden[].class));
        cases.put("type argument", leaks -> leaks.check("type argument", returnType("argument")));
        cases.put("owner type", leaks -> leaks.check("owner type", returnType("owner")));
        cases.put("wildcard bound", leaks -> leaks.check("wildcard bound", returnType("wildcard")));
        cases.put("generic array", leaks -> leaks.check("generic array", returnType("genericArray")));
        cases.put("method type parameter", leaks -> leaks.signature(method("bound")));
        cases.put("class type parameter", leaks -> leaks.typeParameters("class type parameter", Leaky.class));
        for (Map.Entry<String, Consumer<Leaks>> each : cases.entrySet()) {
            Leaks leaks = new Leaks(type -> type == Hidden.class);
            each.getValue().accept(leaks);
            assertFalse(leaks.found().isEmpty(), "not found in a " + each.getKey());
        }
        Leaks leaks = new Leaks(type -> type == Hidden.class);
        leaks.check("recursive bound", returnType("recursive"));
        assertEquals(List.of(), leaks.found());
    }

    private static Method method(String name) {
        try {
            return Leaky.class.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static Type returnType(String name) {
        return method(name).getGenericReturnType();
    }

    private static final class Hidden {
        @SuppressWarnings("unused")
        final class Inner<T> {}
    }

    /** Signatures that name {@link Hidden} in each way the check must see, and one that does not. */
    @SuppressWarnings("unused")
    private interface Leaky<T extends Hidden> {
        List<Hidden> argument();

        Hidden.Inner<String> owner();

        List<? super Hidden> wildcard();

        List<Hidden>[] genericArray();

        <X extends Comparable<X> & Supplier<Hidden>> X bound();

        <X extends Comparable<X>> X recursive();
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The descriptor of the module in a classes folder or jar (tests run on the class path). */
    private static ModuleDescriptor descriptor(Path location) {
        Set<ModuleReference> found = ModuleFinder.of(location).findAll();
        assertEquals(1, found.size(), "one module at " + location);
        return found.iterator().next().descriptor();
    }

    /**
     * The packages a module exports to everyone. Its only qualified exports are the internal
     * packages the cluster module builds on, to that module alone.
     */
    private static Set<String> exported(ModuleDescriptor module) {
        for (ModuleDescriptor.Exports export : module.exports()) {
            if (export.isQualified()) {
                assertEquals(Set.of("io.spinoff.cluster"), export.targets(), module.name() + " exports " + export);
                assertTrue(CLUSTER_PACKAGES.contains(export.source()), module.name() + " exports " + export);
                continue;
            }
            assertFalse(export.source().contains(".internal"), module.name() + " exports " + export.source());
        }
        return module.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What the runtime exports to the cluster module only: its roots, resolver hook and cells. */
    private static final Set<String> CLUSTER_PACKAGES = Set.of("io.spinoff.runtime.internal",
            "io.spinoff.runtime.internal.cell");

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

    /** Collects the places where a signature names a type the predicate calls hidden. */
    private static final class Leaks {
        private final Predicate<Class<?>> hidden;
        private final List<String> found = new ArrayList<>();

        Leaks(Predicate<Class<?>> hidden) {
            this.hidden = hidden;
        }

        List<String> found() {
            return found;
        }

        void signature(Executable executable) {
            typeParameters(executable.toString(), executable);
            for (Type parameter : executable.getGenericParameterTypes()) {
                check(executable.toString(), parameter);
            }
            for (Type thrown : executable.getGenericExceptionTypes()) {
                check(executable.toString(), thrown);
            }
        }

        void typeParameters(String where, GenericDeclaration declaration) {
            for (TypeVariable<?> variable : declaration.getTypeParameters()) {
                for (Type bound : variable.getBounds()) {
                    check(where + " <" + variable.getName() + ">", bound);
                }
            }
        }

        void check(String where, Type type) {
            check(where, type, new HashSet<>());
        }

        /** {@code seen} stops at a type already followed, as in {@code <T extends Comparable<T>>}. */
        private void check(String where, Type type, Set<Type> seen) {
            if (type == null || !seen.add(type)) {
                return;
            }
            if (type instanceof Class<?> c) {
                while (c.isArray()) {
                    c = c.getComponentType();
                }
                if (hidden.test(c)) {
                    found.add(where + ": " + c.getName());
                }
            } else if (type instanceof ParameterizedType parameterized) {
                check(where, parameterized.getRawType(), seen);
                check(where, parameterized.getOwnerType(), seen);
                for (Type argument : parameterized.getActualTypeArguments()) {
                    check(where, argument, seen);
                }
            } else if (type instanceof WildcardType wildcard) {
                for (Type bound : wildcard.getUpperBounds()) {
                    check(where, bound, seen);
                }
                for (Type bound : wildcard.getLowerBounds()) {
                    check(where, bound, seen);
                }
            } else if (type instanceof GenericArrayType array) {
                check(where, array.getGenericComponentType(), seen);
            } else if (type instanceof TypeVariable<?> variable) {
                for (Type bound : variable.getBounds()) {
                    check(where, bound, seen);
                }
            }
        }
    }

    /** The public types (nested ones included) of the API packages, found in the compiled classes. */
    private static List<Class<?>> apiTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = classesOf(ActorSystem.class);
        List<Class<?>> types = new ArrayList<>();
        // The packages the module exports: a package added to the exports is checked too.
        for (String pkg : exported(descriptor(classes))) {
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
