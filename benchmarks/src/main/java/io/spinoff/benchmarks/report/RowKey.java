package io.spinoff.benchmarks.report;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One row of the report: a benchmark class with one set of problem sizes (every JMH parameter but
 * the sides' configuration parameters).
 *
 * @param benchmarkClass the fully qualified benchmark class
 * @param sizes the problem-size parameters, by name
 */
record RowKey(String benchmarkClass, SortedMap<String, String> sizes) {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(.*?)(\\d+(?:\\.\\d+)?)");

    /** Orders rows of one class by their sizes, numbers by value and other values by text. */
    static final Comparator<RowKey> SIZE_ORDER = (a, b) -> {
        Iterator<Map.Entry<String, String>> left = a.sizes.entrySet().iterator();
        Iterator<Map.Entry<String, String>> right = b.sizes.entrySet().iterator();
        while (left.hasNext() && right.hasNext()) {
            Map.Entry<String, String> l = left.next();
            Map.Entry<String, String> r = right.next();
            int order = l.getKey().compareTo(r.getKey());
            if (order == 0) {
                order = compareValues(l.getValue(), r.getValue());
            }
            if (order != 0) {
                return order;
            }
        }
        return Boolean.compare(left.hasNext(), right.hasNext());
    };

    RowKey {
        sizes = new TreeMap<>(sizes);
    }

    /**
     * Orders parameter values as numbers where both are numbers, else by their text with the
     * numbers inside compared by value ({@code fj-5} before {@code fj-64} before {@code fj-256}).
     */
    static int compareValues(String a, String b) {
        Matcher left = NUMBER.matcher(a);
        Matcher right = NUMBER.matcher(b);
        if (left.matches() && right.matches()) {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        }
        Matcher leftEnd = TRAILING_NUMBER.matcher(a);
        Matcher rightEnd = TRAILING_NUMBER.matcher(b);
        if (leftEnd.matches() && rightEnd.matches() && leftEnd.group(1).equals(rightEnd.group(1))) {
            return Double.compare(Double.parseDouble(leftEnd.group(2)), Double.parseDouble(rightEnd.group(2)));
        }
        return a.compareTo(b);
    }

    /** @return the class's simple name, e.g. {@code SavinaPingPong} */
    String simpleName() {
        return benchmarkClass.substring(benchmarkClass.lastIndexOf('.') + 1);
    }

    /** @return the simple name followed by the sizes, e.g. {@code SavinaBig (actors=120)} */
    String label() {
        if (sizes.isEmpty()) {
            return simpleName();
        }
        return simpleName() + " (" + sizes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }
}
