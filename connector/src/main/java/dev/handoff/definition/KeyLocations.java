package dev.handoff.definition;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a YAML document starts, by key path ({@code fit.criteria[2].bands[0].points});
 * array elements are indexed under {@code fit.criteria[2]}. Lets semantic checks, which run after
 * binding, point at the exact line and column of the offending key.
 */
final class KeyLocations {

    private final Map<String, int[]> locations;

    private KeyLocations(Map<String, int[]> locations) {
        this.locations = locations;
    }

    static KeyLocations scan(YAMLFactory factory, String yaml) throws IOException {
        Map<String, int[]> out = new HashMap<>();
        out.put("", new int[] {1, 1});
        Deque<Frame> stack = new ArrayDeque<>();
        String lastKey = "";
        try (JsonParser p = factory.createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonLocation loc = p.currentTokenLocation();
                switch (t) {
                    case FIELD_NAME -> {
                        Frame top = stack.peek();
                        String parent = top == null ? "" : top.path;
                        lastKey = parent.isEmpty() ? p.currentName() : parent + "." + p.currentName();
                        out.putIfAbsent(lastKey, position(loc));
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String path = valuePath(stack, lastKey, out, loc);
                        stack.push(new Frame(path, t == JsonToken.START_ARRAY));
                    }
                    case END_OBJECT, END_ARRAY -> stack.pop();
                    default -> valuePath(stack, lastKey, out, loc);
                }
            }
        }
        return new KeyLocations(out);
    }

    private static String valuePath(Deque<Frame> stack, String lastKey, Map<String, int[]> out, JsonLocation loc) {
        Frame top = stack.peek();
        if (top == null) {
            return "";
        }
        if (top.array) {
            String path = top.path + "[" + (++top.index) + "]";
            out.putIfAbsent(path, position(loc));
            return path;
        }
        return lastKey;
    }

    private static int[] position(JsonLocation loc) {
        return new int[] {Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr())};
    }

    /** Line and column of exactly {@code key}, or null when the file has no such key. */
    int[] exact(String key) {
        return locations.get(key == null ? "" : key);
    }

    /** Line and column of {@code key}, or of its nearest enclosing key that exists in the file. */
    int[] locate(String key) {
        String k = key == null ? "" : key;
        while (true) {
            int[] pos = locations.get(k);
            if (pos != null) {
                return pos;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            if (cut <= 0) {
                return locations.get("");
            }
            k = k.substring(0, cut);
        }
    }

    private static final class Frame {
        final String path;
        final boolean array;
        int index = -1;

        Frame(String path, boolean array) {
            this.path = path;
            this.array = array;
        }
    }
}
