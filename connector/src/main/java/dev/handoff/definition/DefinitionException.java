package dev.handoff.definition;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A qualification definition file that cannot be used, with every problem found in it.
 *
 * <p>{@link #getMessage()} has one line per problem, each {@code <file>:<line>:<column>: <key>: <problem>},
 * so editors and CI logs can jump to each offending key. {@link #file()}, {@link #line()}, {@link #column()},
 * {@link #key()} and {@link #problem()} describe the first problem in file order.
 */
public final class DefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem in a definition file.
     *
     * @param file    the definition file (or list file) that has the problem
     * @param line    1-based line of the offending key, 0 when unknown
     * @param column  1-based column of the offending key, 0 when unknown
     * @param key     path of the offending key, e.g. {@code fit.criteria[2].bands[0].points}; empty for the whole document
     * @param message what is wrong, without the location prefix
     */
    public record Problem(Path file, int line, int column, String key, String message) {
        public Problem {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(message, "message");
            key = key == null ? "" : key;
        }

        /** {@code <file>:<line>:<column>: <key>: <message>}, the key shown as {@code (document)} when empty. */
        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + (key.isEmpty() ? "(document)" : key) + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public DefinitionException(Path file, int line, int column, String key, String problem) {
        this(file, line, column, key, problem, null);
    }

    public DefinitionException(Path file, int line, int column, String key, String problem, Throwable cause) {
        this(List.of(new Problem(file, line, column, key, problem)), cause);
    }

    /** All problems of one file, in the order they should be shown (file order); at least one. */
    public DefinitionException(List<Problem> problems) {
        this(problems, null);
    }

    private DefinitionException(List<Problem> problems, Throwable cause) {
        super(render(problems), cause);
        this.problems = List.copyOf(problems);
    }

    private static String render(List<Problem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a DefinitionException needs at least one problem");
        }
        List<String> lines = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            lines.add(p.toString());
        }
        return String.join("\n", lines);
    }

    /** Every problem found, in file order. */
    public List<Problem> problems() {
        return problems;
    }

    /** The definition file (or list file) that has the first problem. */
    public Path file() {
        return problems.get(0).file();
    }

    /** 1-based line of the first offending key, 0 when unknown. */
    public int line() {
        return problems.get(0).line();
    }

    /** 1-based column of the first offending key, 0 when unknown. */
    public int column() {
        return problems.get(0).column();
    }

    /** Path of the first offending key, e.g. {@code fit.criteria[2].bands[0].points}; empty for the whole document. */
    public String key() {
        return problems.get(0).key();
    }

    /** What is wrong at the first problem, without the location prefix. */
    public String problem() {
        return problems.get(0).message();
    }
}
