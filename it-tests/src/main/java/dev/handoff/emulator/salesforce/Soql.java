package dev.handoff.emulator.salesforce;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL subset a lead sync needs, parsed by recursive descent. Literals are decoded by the
 * lexer with exactly the escapes Salesforce accepts, so a value can never become syntax: a quote
 * either closes the literal or is escaped, and every other backslash sequence is rejected.
 *
 * <pre>
 * query   := SELECT field (',' field)* FROM object [WHERE expr] [ORDER BY order (',' order)*] [LIMIT int]
 * expr    := unary (AND unary)* | unary (OR unary)*      -- mixing AND/OR needs parentheses, as in SOQL
 * unary   := NOT unary | '(' expr ')' | field op literal | field [NOT] IN '(' literal (',' literal)* ')' | field LIKE string
 * order   := field [ASC|DESC] [NULLS (FIRST|LAST)]
 * </pre>
 */
final class Soql {

    static final int MAX_STATEMENT_LENGTH = 100_000;
    static final int MAX_STRING_LITERAL = 4_000;

    record Query(SObjectSchema schema, List<FieldDef> select, Condition where, List<Order> orderBy, Integer limit) {

        Comparator<Map<String, Object>> comparator() {
            Comparator<Map<String, Object>> c = (a, b) -> 0;
            for (Order o : orderBy) {
                c = c.thenComparing(o.comparator());
            }
            return c;
        }
    }

    record Order(FieldDef field, boolean descending, boolean nullsFirst) {

        Comparator<Map<String, Object>> comparator() {
            return (a, b) -> {
                Object x = a.get(field.name());
                Object y = b.get(field.name());
                if (x == null || y == null) {
                    if (x == y) {
                        return 0;
                    }
                    // Null placement is independent of ASC/DESC in SOQL.
                    return (x == null) == nullsFirst ? -1 : 1;
                }
                int r = compare(field.type(), x, y);
                return descending ? -r : r;
            };
        }
    }

    interface Condition {
        boolean test(Map<String, Object> record);
    }

    private record Compare(FieldDef field, String op, Object literal) implements Condition {
        @Override
        public boolean test(Map<String, Object> record) {
            Object v = record.get(field.name());
            if (literal == null) {
                return op.equals("=") == (v == null);
            }
            if (op.equals("!=")) {
                // SOQL treats null as a value: "!= x" includes records where the field is null.
                return v == null || compare(field.type(), v, literal) != 0;
            }
            if (v == null) {
                return false;
            }
            int r = compare(field.type(), v, literal);
            return switch (op) {
                case "=" -> r == 0;
                case "<" -> r < 0;
                case "<=" -> r <= 0;
                case ">" -> r > 0;
                case ">=" -> r >= 0;
                default -> throw new IllegalStateException(op);
            };
        }
    }

    /**
     * {@code field [NOT] IN (...)}. For text fields the values are also kept as case-folded keys, so
     * a query with a thousand emails over a large org is a hash lookup per record, not a thousand
     * comparisons; the folding gives exactly {@link String#CASE_INSENSITIVE_ORDER}'s equality.
     */
    private record In(FieldDef field, List<Object> values, boolean negated, java.util.Set<String> textKeys)
            implements Condition {

        In(FieldDef field, List<Object> values, boolean negated) {
            this(field, values, negated, textKeys(field, values));
        }

        private static java.util.Set<String> textKeys(FieldDef field, List<Object> values) {
            if (!field.type().isText() || values.stream().anyMatch(java.util.Objects::isNull)) {
                return null;
            }
            java.util.Set<String> keys = new java.util.HashSet<>();
            values.forEach(v -> keys.add(fold(v.toString())));
            return keys;
        }

        private static String fold(String s) {
            char[] out = new char[s.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Character.toLowerCase(Character.toUpperCase(s.charAt(i)));
            }
            return new String(out);
        }

        @Override
        public boolean test(Map<String, Object> record) {
            Object v = record.get(field.name());
            if (textKeys != null) {
                return (v != null && textKeys.contains(fold(v.toString()))) != negated;
            }
            boolean found = false;
            for (Object candidate : values) {
                if (candidate == null ? v == null : v != null && compare(field.type(), v, candidate) == 0) {
                    found = true;
                    break;
                }
            }
            return found != negated;
        }
    }

    private record Like(FieldDef field, Pattern pattern) implements Condition {
        @Override
        public boolean test(Map<String, Object> record) {
            Object v = record.get(field.name());
            return v != null && pattern.matcher(v.toString()).matches();
        }
    }

    private record And(List<Condition> parts) implements Condition {
        @Override
        public boolean test(Map<String, Object> record) {
            return parts.stream().allMatch(p -> p.test(record));
        }
    }

    private record Or(List<Condition> parts) implements Condition {
        @Override
        public boolean test(Map<String, Object> record) {
            return parts.stream().anyMatch(p -> p.test(record));
        }
    }

    private record Not(Condition inner) implements Condition {
        @Override
        public boolean test(Map<String, Object> record) {
            return !inner.test(record);
        }
    }

    /** Text compares case-insensitively in SOQL (filters and ORDER BY alike). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(FieldType type, Object a, Object b) {
        if (type.isText()) {
            return String.CASE_INSENSITIVE_ORDER.compare(a.toString(), b.toString());
        }
        if (type.isNumber()) {
            return Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        }
        return ((Comparable) a).compareTo(b);
    }

    static Query parse(String soql) {
        if (soql == null || soql.isBlank()) {
            throw SoapFault.malformedQuery("empty query string", 1, 1);
        }
        if (soql.length() > MAX_STATEMENT_LENGTH) {
            throw SoapFault.malformedQuery("Query string is too long: " + soql.length() + " characters, the maximum is "
                    + MAX_STATEMENT_LENGTH, 1, 1);
        }
        return new Parser(soql, new Lexer(soql).tokens()).query();
    }

    // ---------------------------------------------------------------- lexer

    enum Kind { IDENT, STRING, NUMBER, DATETIME, DATE, COMMA, LPAREN, RPAREN, OP, EOF }

    /** For STRING: {@code value} is the decoded text, {@code likeRegex} the same literal as a LIKE pattern. */
    record Token(Kind kind, String text, Object value, String likeRegex, boolean likeOnlyEscape, int pos) {

        boolean isKeyword(String keyword) {
            return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
        }
    }

    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2}|[+-]\\d{4})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private static final class Lexer {
        private final String s;
        private int i;

        Lexer(String s) {
            this.s = s;
        }

        List<Token> tokens() {
            List<Token> out = new ArrayList<>();
            while (true) {
                while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                    i++;
                }
                if (i >= s.length()) {
                    out.add(new Token(Kind.EOF, "<EOF>", null, null, false, i));
                    return out;
                }
                out.add(next());
            }
        }

        private Token next() {
            int start = i;
            char c = s.charAt(i);
            if (Character.isLetter(c) || c == '_') {
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
                    i++;
                }
                return new Token(Kind.IDENT, s.substring(start, i), null, null, false, start);
            }
            if (Character.isDigit(c) || (c == '-' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                return number(start);
            }
            switch (c) {
                case '\'':
                    return string(start);
                case ',':
                    i++;
                    return new Token(Kind.COMMA, ",", null, null, false, start);
                case '(':
                    i++;
                    return new Token(Kind.LPAREN, "(", null, null, false, start);
                case ')':
                    i++;
                    return new Token(Kind.RPAREN, ")", null, null, false, start);
                case '=':
                    i++;
                    return new Token(Kind.OP, "=", null, null, false, start);
                case '!':
                    if (s.startsWith("!=", i)) {
                        i += 2;
                        return new Token(Kind.OP, "!=", null, null, false, start);
                    }
                    break;
                case '<':
                    if (s.startsWith("<>", i)) {
                        i += 2;
                        return new Token(Kind.OP, "!=", null, null, false, start);
                    }
                    if (s.startsWith("<=", i)) {
                        i += 2;
                        return new Token(Kind.OP, "<=", null, null, false, start);
                    }
                    i++;
                    return new Token(Kind.OP, "<", null, null, false, start);
                case '>':
                    if (s.startsWith(">=", i)) {
                        i += 2;
                        return new Token(Kind.OP, ">=", null, null, false, start);
                    }
                    i++;
                    return new Token(Kind.OP, ">", null, null, false, start);
                default:
                    break;
            }
            throw malformed(s, start, "unexpected char: '" + c + "'");
        }

        private Token number(int start) {
            Matcher dt = DATETIME.matcher(s).region(start, s.length());
            if (dt.lookingAt() && !continuesWord(dt.end())) {
                String text = dt.group();
                i = dt.end();
                String normalized = text.matches(".*[+-]\\d{4}$")
                        ? text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2)
                        : text;
                try {
                    return new Token(Kind.DATETIME, text, OffsetDateTime.parse(normalized).toInstant(), null, false, start);
                } catch (DateTimeParseException e) {
                    throw malformed(s, start, "line " + row(s, start) + ":" + column(s, start)
                            + " no viable alternative at character '" + text + "': invalid dateTime");
                }
            }
            Matcher d = DATE.matcher(s).region(start, s.length());
            if (d.lookingAt() && !continuesWord(d.end())) {
                i = d.end();
                try {
                    return new Token(Kind.DATE, d.group(), LocalDate.parse(d.group()), null, false, start);
                } catch (DateTimeParseException e) {
                    throw malformed(s, start, "invalid date: " + d.group());
                }
            }
            Matcher n = NUMBER.matcher(s).region(start, s.length());
            if (n.lookingAt() && !continuesWord(n.end())) {
                i = n.end();
                return new Token(Kind.NUMBER, n.group(), Double.valueOf(n.group()), null, false, start);
            }
            throw malformed(s, start, "unexpected token: '" + word(start) + "'");
        }

        private boolean continuesWord(int end) {
            return end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_'
                    || s.charAt(end) == ':' || s.charAt(end) == '.' || s.charAt(end) == '-');
        }

        private String word(int start) {
            int e = start;
            while (e < s.length() && !Character.isWhitespace(s.charAt(e)) && s.charAt(e) != ',' && s.charAt(e) != ')') {
                e++;
            }
            return s.substring(start, e);
        }

        private Token string(int start) {
            i++;
            StringBuilder value = new StringBuilder();
            StringBuilder regex = new StringBuilder("(?s)(?iu)");
            StringBuilder pendingLiteral = new StringBuilder();
            boolean likeOnly = false;
            while (true) {
                if (i >= s.length()) {
                    throw malformed(s, start, "unterminated string literal starting at Row:" + row(s, start)
                            + ":Column:" + column(s, start));
                }
                char c = s.charAt(i);
                if (c == '\'') {
                    i++;
                    break;
                }
                if (c != '\\') {
                    value.append(c);
                    if (c == '%' || c == '_') {
                        regex.append(Pattern.quote(pendingLiteral.toString())).append(c == '%' ? ".*" : ".");
                        pendingLiteral.setLength(0);
                    } else {
                        pendingLiteral.append(c);
                    }
                    i++;
                    continue;
                }
                if (i + 1 >= s.length()) {
                    throw malformed(s, start, "unterminated string literal starting at Row:" + row(s, start)
                            + ":Column:" + column(s, start));
                }
                char e = s.charAt(i + 1);
                char decoded;
                int consumed = 2;
                switch (e) {
                    case '\'', '\\', '"' -> decoded = e;
                    case 'n', 'N' -> decoded = '\n';
                    case 'r', 'R' -> decoded = '\r';
                    case 't', 'T' -> decoded = '\t';
                    case 'b', 'B' -> decoded = '\b';
                    case 'f', 'F' -> decoded = '\f';
                    case '_', '%' -> {
                        decoded = e;
                        likeOnly = true;
                    }
                    case 'u' -> {
                        if (i + 6 > s.length() || !s.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
                            throw illegalEscape(start, s.substring(i, Math.min(i + 6, s.length())));
                        }
                        decoded = (char) Integer.parseInt(s.substring(i + 2, i + 6), 16);
                        consumed = 6;
                    }
                    default -> throw illegalEscape(start, s.substring(i, i + 2));
                }
                value.append(decoded);
                pendingLiteral.append(decoded);
                i += consumed;
            }
            regex.append(Pattern.quote(pendingLiteral.toString()));
            if (value.length() > MAX_STRING_LITERAL) {
                throw malformed(s, start, "String literal is too long: " + value.length()
                        + " characters, the maximum is " + MAX_STRING_LITERAL);
            }
            return new Token(Kind.STRING, s.substring(start, i), value.toString(), regex.toString(), likeOnly, start);
        }

        private SoapFault illegalEscape(int start, String sequence) {
            int end = s.indexOf('\'', start + 1);
            String literal = end < 0 ? s.substring(start) : s.substring(start, Math.min(s.length(), end + 1));
            return malformed(s, start, "Invalid string literal " + literal + ". Illegal character sequence '"
                    + sequence + "' in string literal.");
        }
    }

    // ---------------------------------------------------------------- parser

    private static final class Parser {
        private final String soql;
        private final List<Token> tokens;
        private int p;
        private SObjectSchema schema;

        Parser(String soql, List<Token> tokens) {
            this.soql = soql;
            this.tokens = tokens;
        }

        Query query() {
            expectKeyword("SELECT");
            List<Token> selected = new ArrayList<>();
            do {
                selected.add(expectIdent("field name"));
            } while (accept(Kind.COMMA));
            expectKeyword("FROM");
            Token object = expectIdent("object name");
            schema = SObjectSchema.forName(object.text()).orElseThrow(() -> SoapFault.invalidSObject(
                    excerpt(object.pos()) + "sObject type '" + object.text() + "' is not supported. If you are attempting "
                            + "to use a custom object, be sure to append the '__c' after the entity name. Please reference "
                            + "your WSDL or the describe call for the appropriate names.",
                    row(soql, object.pos()), column(soql, object.pos())));
            List<FieldDef> select = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Token t : selected) {
                FieldDef f = field(t);
                if (!seen.add(f.name())) {
                    throw malformed(soql, t.pos(), "duplicate field selected: " + f.name());
                }
                select.add(f);
            }
            Condition where = null;
            if (acceptKeyword("WHERE")) {
                where = expression();
            }
            List<Order> orderBy = new ArrayList<>();
            if (acceptKeyword("ORDER")) {
                expectKeyword("BY");
                do {
                    orderBy.add(order());
                } while (accept(Kind.COMMA));
            }
            Integer limit = null;
            if (acceptKeyword("LIMIT")) {
                Token n = peek();
                if (n.kind() != Kind.NUMBER || !n.text().matches("\\d+")) {
                    throw unexpected(n);
                }
                p++;
                try {
                    limit = Integer.parseInt(n.text());
                } catch (NumberFormatException e) {
                    throw malformed(soql, n.pos(), "LIMIT is too large: " + n.text());
                }
            }
            if (peek().kind() != Kind.EOF) {
                throw unexpected(peek());
            }
            return new Query(schema, List.copyOf(select), where, List.copyOf(orderBy), limit);
        }

        private Order order() {
            FieldDef f = field(expectIdent("field name"));
            boolean desc = false;
            if (acceptKeyword("DESC")) {
                desc = true;
            } else {
                acceptKeyword("ASC");
            }
            boolean nullsFirst = !desc;
            if (acceptKeyword("NULLS")) {
                if (acceptKeyword("FIRST")) {
                    nullsFirst = true;
                } else if (acceptKeyword("LAST")) {
                    nullsFirst = false;
                } else {
                    throw unexpected(peek());
                }
            }
            return new Order(f, desc, nullsFirst);
        }

        private Condition expression() {
            Condition first = unary();
            if (peek().isKeyword("AND") || peek().isKeyword("OR")) {
                String op = peek().text().toUpperCase(Locale.ROOT);
                List<Condition> parts = new ArrayList<>(List.of(first));
                while (acceptKeyword(op)) {
                    parts.add(unary());
                }
                if (peek().isKeyword("AND") || peek().isKeyword("OR")) {
                    // SOQL refuses "a AND b OR c" instead of picking a precedence.
                    throw unexpected(peek());
                }
                return op.equals("AND") ? new And(parts) : new Or(parts);
            }
            return first;
        }

        private Condition unary() {
            if (acceptKeyword("NOT")) {
                return new Not(unary());
            }
            if (accept(Kind.LPAREN)) {
                Condition inner = expression();
                expect(Kind.RPAREN);
                return inner;
            }
            Token fieldToken = expectIdent("field name");
            FieldDef f = field(fieldToken);
            Token t = peek();
            if (t.kind() == Kind.OP) {
                p++;
                Token lit = next();
                Object value = literal(f, lit);
                if (value == null && !t.text().equals("=") && !t.text().equals("!=")) {
                    throw malformed(soql, lit.pos(), "invalid operator on null: " + t.text());
                }
                if (f.type() == FieldType.BOOLEAN && !t.text().equals("=") && !t.text().equals("!=")) {
                    throw SoapFault.invalidField(excerpt(t.pos()) + "invalid operator on boolean field: " + f.name(),
                            row(soql, t.pos()), column(soql, t.pos()));
                }
                return new Compare(f, t.text(), value);
            }
            boolean negated = false;
            if (t.isKeyword("NOT")) {
                p++;
                negated = true;
                if (!peek().isKeyword("IN")) {
                    throw unexpected(peek());
                }
            }
            if (acceptKeyword("IN")) {
                expect(Kind.LPAREN);
                List<Object> values = new ArrayList<>();
                do {
                    values.add(literal(f, next()));
                } while (accept(Kind.COMMA));
                expect(Kind.RPAREN);
                return new In(f, values, negated);
            }
            if (acceptKeyword("LIKE")) {
                Token lit = next();
                if (lit.kind() != Kind.STRING) {
                    throw unexpected(lit);
                }
                if (!f.type().isText()) {
                    throw SoapFault.invalidField(excerpt(t.pos()) + "invalid operator on field: " + f.name(),
                            row(soql, t.pos()), column(soql, t.pos()));
                }
                return new Like(f, Pattern.compile(lit.likeRegex()));
            }
            throw unexpected(t);
        }

        /** Converts a literal to the field's value type, refusing mismatches the way Salesforce does. */
        private Object literal(FieldDef f, Token lit) {
            if (lit.isKeyword("null")) {
                return null;
            }
            FieldType type = f.type();
            boolean ok = switch (lit.kind()) {
                case STRING -> type.isText();
                case NUMBER -> type.isNumber();
                case DATETIME -> type == FieldType.DATETIME;
                case DATE -> type == FieldType.DATE;
                case IDENT -> type == FieldType.BOOLEAN && (lit.isKeyword("true") || lit.isKeyword("false"));
                default -> throw unexpected(lit);
            };
            if (lit.kind() == Kind.IDENT && !ok && !lit.isKeyword("true") && !lit.isKeyword("false")) {
                throw unexpected(lit);
            }
            if (!ok) {
                String quoting = type.isText() ? "should be enclosed in quotes" : "should not be enclosed in quotes";
                throw SoapFault.invalidField(excerpt(lit.pos()) + "value of filter criterion for field '" + f.name()
                        + "' must be of type " + type.soqlName() + " and " + quoting,
                        row(soql, lit.pos()), column(soql, lit.pos()));
            }
            if (lit.kind() == Kind.STRING && lit.likeOnlyEscape()) {
                throw malformed(soql, lit.pos(), "Invalid string literal " + lit.text()
                        + ". Escapes \\_ and \\% are only allowed in LIKE patterns.");
            }
            if (lit.kind() == Kind.IDENT) {
                return Boolean.valueOf(lit.text().toLowerCase(Locale.ROOT));
            }
            return lit.value();
        }

        private FieldDef field(Token t) {
            return schema.field(t.text()).orElseThrow(() -> SoapFault.invalidField(
                    excerpt(t.pos()) + SObjectSchema.noSuchColumn(t.text(), schema.name()),
                    row(soql, t.pos()), column(soql, t.pos())));
        }

        private Token peek() {
            return tokens.get(p);
        }

        private Token next() {
            Token t = tokens.get(p);
            if (t.kind() != Kind.EOF) {
                p++;
            }
            return t;
        }

        private boolean accept(Kind kind) {
            if (peek().kind() == kind) {
                p++;
                return true;
            }
            return false;
        }

        private boolean acceptKeyword(String keyword) {
            if (peek().isKeyword(keyword)) {
                p++;
                return true;
            }
            return false;
        }

        private void expect(Kind kind) {
            if (!accept(kind)) {
                throw unexpected(peek());
            }
        }

        private void expectKeyword(String keyword) {
            if (!acceptKeyword(keyword)) {
                throw unexpected(peek(), "expecting '" + keyword + "'");
            }
        }

        private Token expectIdent(String what) {
            Token t = peek();
            if (t.kind() != Kind.IDENT || isReserved(t.text())) {
                throw unexpected(t, "expecting a " + what);
            }
            p++;
            return t;
        }

        private static boolean isReserved(String word) {
            return Set.of("select", "from", "where", "and", "or", "not", "in", "like", "order", "by", "limit", "null",
                    "true", "false").contains(word.toLowerCase(Locale.ROOT));
        }

        private SoapFault unexpected(Token t) {
            return unexpected(t, null);
        }

        private SoapFault unexpected(Token t, String hint) {
            String msg = t.kind() == Kind.EOF ? "unexpected token: <EOF>" : "unexpected token: '" + t.text() + "'";
            return malformed(soql, t.pos(), hint == null ? msg : msg + " (" + hint + ")");
        }

        private String excerpt(int pos) {
            return Soql.excerpt(soql, pos);
        }
    }

    // ---------------------------------------------------------------- error positions

    static SoapFault malformed(String soql, int pos, String message) {
        return SoapFault.malformedQuery(excerpt(soql, pos) + message, row(soql, pos), column(soql, pos));
    }

    /** Salesforce prefixes query errors with the offending line, a caret and "ERROR at Row:r:Column:c". */
    static String excerpt(String soql, int pos) {
        int lineStart = pos == 0 ? 0 : soql.lastIndexOf('\n', pos - 1) + 1;
        int lineEnd = soql.indexOf('\n', pos);
        String line = soql.substring(lineStart, lineEnd < 0 ? soql.length() : lineEnd);
        if (line.length() > 200) {
            line = line.substring(0, 200) + "...";
        }
        int col = column(soql, pos);
        return "\n" + line + "\n" + " ".repeat(Math.min(col - 1, 200)) + "^\nERROR at Row:" + row(soql, pos)
                + ":Column:" + col + "\n";
    }

    static int row(String s, int pos) {
        int r = 1;
        for (int k = 0; k < pos && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                r++;
            }
        }
        return r;
    }

    static int column(String s, int pos) {
        int lineStart = pos == 0 ? 0 : s.lastIndexOf('\n', pos - 1) + 1;
        return pos - lineStart + 1;
    }

    private Soql() {
    }
}
