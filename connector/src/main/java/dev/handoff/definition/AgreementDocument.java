package dev.handoff.definition;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The lead agreement as a one-page document a sales VP can read and sign: what makes a lead
 * sales-ready, every fit criterion and disqualifier in words, engagement with its decay, the grade
 * matrix, the SLA and what each reject reason does, with signature lines.
 *
 * <p>Both renderings come from one block model, so the Markdown and the HTML can never say
 * different things. Output depends only on the definition (no clock, no locale), so a rendered
 * agreement can be checked into version control next to the YAML it was made from.
 */
public final class AgreementDocument {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    private final String title;
    private final List<Block> blocks;

    private AgreementDocument(String title, List<Block> blocks) {
        this.title = title;
        this.blocks = List.copyOf(blocks);
    }

    /** Builds the document for {@code d}. */
    public static AgreementDocument of(Definition d) {
        Objects.requireNonNull(d, "definition");
        return new Builder(d).build();
    }

    /** Shortcut for {@code of(d).markdown()}. */
    public static String markdown(Definition d) {
        return of(d).markdown();
    }

    /** Shortcut for {@code of(d).html()}. */
    public static String html(Definition d) {
        return of(d).html();
    }

    // ---------------------------------------------------------------------------------------------
    // Block model

    /** A run of text, shown as code (identifiers, patterns) or as prose. */
    record Span(String text, boolean code) {
    }

    sealed interface Block permits Heading, Paragraph, Bullets, Table, Signatures, Columns {
    }

    record Heading(String text) implements Block {
    }

    record Paragraph(List<Span> spans) implements Block {
    }

    record Bullets(List<List<Span>> items) implements Block {
    }

    /** A table; {@code header} cells are prose. */
    record Table(List<String> header, List<List<List<Span>>> rows) implements Block {
    }

    /** One signature line per signing role: role → name or title of the signatory. */
    record Signatures(Map<String, String> signatories) implements Block {
    }

    /** Blocks that HTML sets side by side to keep the page short; Markdown simply stacks them. */
    record Columns(List<List<Block>> columns) implements Block {
    }

    /** Collects spans: {@code words().t("is ").c("WRONG_CONTACT")}. */
    private static final class Words {
        final List<Span> spans = new ArrayList<>();

        Words t(String text) {
            spans.add(new Span(text, false));
            return this;
        }

        Words c(String code) {
            spans.add(new Span(code, true));
            return this;
        }

        List<Span> done() {
            return List.copyOf(spans);
        }
    }

    private static Words words() {
        return new Words();
    }

    private static List<Span> text(String s) {
        return List.of(new Span(s, false));
    }

    private static List<Span> code(String s) {
        return List.of(new Span(s, true));
    }

    // ---------------------------------------------------------------------------------------------
    // Content

    private static final class Builder {
        private final Definition d;
        private final List<Block> out = new ArrayList<>();

        Builder(Definition d) {
            this.d = d;
        }

        AgreementDocument build() {
            out.add(new Paragraph(words().t("In effect from " + DATE.format(d.effective()) + ". Marketing hands a lead to sales "
                    + "only when it meets the rules below; sales accepts or rejects every lead within "
                    + Wording.duration(d.sla().acceptWithin()) + " and gives a reason for every rejection. Each lead "
                    + "in the CRM records the version that qualified it (").c(d.label()).t(").").done()));
            salesReady();
            fit();
            disqualifiers();
            engagement();
            out.add(new Columns(List.of(grades(), sla())));
            rejectReasons();
            out.add(new Heading("Agreed by"));
            out.add(new Signatures(d.agreedBy()));
            return new AgreementDocument("Lead agreement: " + d.name() + ", version " + d.version(), out);
        }

        private void salesReady() {
            MqlRule mql = d.mql();
            out.add(new Heading("What makes a lead sales-ready"));
            StringBuilder s = new StringBuilder("A lead goes to sales when its fit score is ")
                    .append(Wording.threshold(mql.fit())).append(" and its engagement score ")
                    .append(Wording.threshold(mql.engagement()));
            if (!mql.requiredFields().isEmpty()) {
                List<String> fields = new ArrayList<>();
                for (String f : mql.requiredFields()) {
                    fields.add(Wording.field(f));
                }
                s.append(", and its ").append(Wording.enumerate(fields, "and"))
                        .append(mql.requiredFields().size() == 1 ? " is" : " are").append(" filled in");
            }
            s.append('.');
            if (!d.fit().disqualifiers().isEmpty()) {
                s.append(" A lead that matches a disqualifier never goes to sales, whatever its scores.");
            }
            int maxFit = 0;
            for (Criterion c : d.fit().criteria()) {
                maxFit += Math.max(0, c.maxPoints());
            }
            s.append(" The fit score adds up the points of every fit criterion the lead matches (")
                    .append(maxFit).append(" at most); the engagement score adds up the points of what the lead did, "
                            + "fading with age.");
            out.add(new Paragraph(text(s.toString())));
        }

        private void fit() {
            out.add(new Heading("Fit: who the lead is"));
            List<List<List<Span>>> rows = new ArrayList<>();
            for (Criterion c : d.fit().criteria()) {
                String points = c.condition() instanceof Condition.Bands ? "up to " + c.maxPoints() : signed(c.points());
                rows.add(List.of(code(c.id()), text(Wording.condition(c.field(), c.condition())), text(points)));
            }
            out.add(new Table(List.of("criterion", "what it checks", "points"), rows));
        }

        private void disqualifiers() {
            if (d.fit().disqualifiers().isEmpty()) {
                return;
            }
            out.add(new Heading("Disqualifiers"));
            out.add(new Paragraph(text("Checked before any score, in this order; the first that matches keeps the lead "
                    + "from sales and records its reject reason.")));
            List<List<List<Span>>> rows = new ArrayList<>();
            for (Disqualifier q : d.fit().disqualifiers()) {
                RejectReason r = d.rejectReasons().get(q.reason());
                rows.add(List.of(code(q.id()), text(Wording.condition(q.field(), q.condition())), code(q.reason()),
                        text(r == null ? "" : Wording.action(r))));
            }
            out.add(new Table(List.of("disqualifier", "when", "reject reason", "then the lead is"), rows));
        }

        private void engagement() {
            Engagement e = d.engagement();
            out.add(new Heading("Engagement: what the lead did"));
            int h = e.halfLifeDays();
            StringBuilder s = new StringBuilder("Each activity adds its points, fading with age: points halve every ")
                    .append(Wording.days(h)).append(" (an activity ").append(Wording.days(h)).append(" old counts half, one ")
                    .append(Wording.days(2 * h)).append(" old a quarter).");
            List<String> negative = new ArrayList<>();
            for (ActivityRule r : e.activities()) {
                if (r.points() < 0) {
                    negative.add(Wording.field(r.type()));
                }
            }
            if (!negative.isEmpty()) {
                s.append(" Negative points (").append(Wording.enumerate(negative, "and")).append(") subtract from the score.");
            }
            out.add(new Paragraph(text(s.toString())));
            List<List<List<Span>>> rows = new ArrayList<>();
            for (ActivityRule r : e.activities()) {
                rows.add(List.of(code(r.type()), text(signed(r.points())), text(counts(r))));
            }
            out.add(new Table(List.of("activity", "points", "what counts"), rows));
        }

        private static String counts(ActivityRule r) {
            List<String> limits = new ArrayList<>();
            if (r.maxCount().isPresent()) {
                int n = r.maxCount().getAsInt();
                limits.add(n == 1 ? "only the most recent one" : "only the " + n + " most recent");
            }
            if (r.windowDays().isPresent()) {
                limits.add("within the last " + Wording.days(r.windowDays().getAsInt()));
            }
            return limits.isEmpty() ? "every one" : String.join(", ", limits);
        }

        private List<Block> grades() {
            Grades g = d.grades();
            List<Block> col = new ArrayList<>();
            col.add(new Heading("Grades"));
            col.add(new Paragraph(text("Grade = fit letter + engagement digit; A1 is the strongest lead, D4 the weakest.")));
            int[] fit = {g.fitA(), g.fitB(), g.fitC()};
            int[] eng = {g.engagement1(), g.engagement2(), g.engagement3()};
            List<String> header = new ArrayList<>();
            header.add("fit / engagement");
            for (int i = 0; i < 3; i++) {
                header.add((i + 1) + ": ≥ " + eng[i]);
            }
            header.add("4: < " + eng[2]);
            List<List<List<Span>>> rows = new ArrayList<>();
            for (int l = 0; l < 4; l++) {
                char letter = "ABCD".charAt(l);
                List<List<Span>> row = new ArrayList<>();
                row.add(text(letter + (l < 3 ? ": ≥ " + fit[l] : ": < " + fit[2])));
                for (int n = 1; n <= 4; n++) {
                    row.add(text(letter + Integer.toString(n)));
                }
                rows.add(row);
            }
            col.add(new Table(header, rows));
            return col;
        }

        private List<Block> sla() {
            Sla s = d.sla();
            List<Block> col = new ArrayList<>();
            col.add(new Heading("Service-level agreement"));
            List<List<Span>> items = new ArrayList<>();
            items.add(text("Speed: sales accepts or rejects every lead within " + Wording.duration(s.acceptWithin())
                    + " of handoff."));
            Sla.Quantity q = s.quantity();
            items.add(text("Quantity: marketing delivers " + (q.min() == q.max() ? Integer.toString(q.min()) : q.min() + " to " + q.max())
                    + " sales-ready leads " + Wording.period(q.per()) + "."));
            Sla.Quality ql = s.quality();
            items.add(text("Quality: at least " + Wording.percent(ql.target()) + " of them " + Wording.metric(ql.metric())
                    + " within " + Wording.days(ql.windowDays()) + " of handoff."));
            if (!s.feedbackRequired().isEmpty()) {
                List<String> fields = new ArrayList<>();
                for (String f : s.feedbackRequired()) {
                    fields.add(Wording.field(f));
                }
                items.add(text("Feedback: on every lead, sales fills in " + Wording.enumerate(fields, "and") + "."));
            }
            col.add(new Bullets(items));
            return col;
        }

        private void rejectReasons() {
            out.add(new Heading("When sales rejects a lead"));
            List<List<List<Span>>> rows = new ArrayList<>();
            for (RejectReason r : d.rejectReasons().values()) {
                rows.add(List.of(code(r.code()), text(Wording.action(r)), text(r.commentRequired() ? "required" : "optional")));
            }
            out.add(new Table(List.of("reject reason", "then the lead is", "comment"), rows));
        }

        private static String signed(int points) {
            return points > 0 ? "+" + points : Integer.toString(points);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Markdown

    /** GitHub-flavoured Markdown; identifiers in code spans, everything else escaped as prose. */
    public String markdown() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("# ").append(mdText(title)).append("\n\n");
        for (Block b : blocks) {
            markdown(sb, b);
        }
        return sb.toString();
    }

    private static void markdown(StringBuilder sb, Block b) {
        if (b instanceof Heading h) {
            sb.append("## ").append(mdText(h.text())).append("\n\n");
        } else if (b instanceof Paragraph p) {
            sb.append(md(p.spans(), false)).append("\n\n");
        } else if (b instanceof Bullets l) {
            for (List<Span> item : l.items()) {
                sb.append("- ").append(md(item, false)).append('\n');
            }
            sb.append('\n');
        } else if (b instanceof Table t) {
            sb.append('|');
            for (String h : t.header()) {
                sb.append(' ').append(mdCell(h)).append(" |");
            }
            sb.append("\n|");
            for (int i = 0; i < t.header().size(); i++) {
                sb.append("---|");
            }
            sb.append('\n');
            for (List<List<Span>> row : t.rows()) {
                sb.append('|');
                for (List<Span> cell : row) {
                    sb.append(' ').append(md(cell, true)).append(" |");
                }
                sb.append('\n');
            }
            sb.append('\n');
        } else if (b instanceof Signatures s) {
            sb.append("| for | signatory | signature | date |\n|---|---|---|---|\n");
            for (Map.Entry<String, String> e : s.signatories().entrySet()) {
                sb.append("| ").append(mdCell(e.getKey())).append(" | ").append(mdCell(e.getValue()))
                        .append(" | ______________________ | ____________ |\n");
            }
            sb.append('\n');
        } else if (b instanceof Columns c) {
            for (List<Block> col : c.columns()) {
                for (Block inner : col) {
                    markdown(sb, inner);
                }
            }
        }
    }

    private static String md(List<Span> spans, boolean inTable) {
        StringBuilder sb = new StringBuilder();
        for (Span s : spans) {
            if (s.code()) {
                String body = oneLine(s.text());
                if (inTable) {
                    // GFM splits table cells on '|' even inside code spans
                    body = body.replace("|", "\\|");
                }
                int ticks = longestBacktickRun(body) + 1;
                String fence = "`".repeat(ticks);
                boolean pad = body.startsWith("`") || body.endsWith("`");
                sb.append(fence).append(pad ? " " : "").append(body).append(pad ? " " : "").append(fence);
            } else {
                sb.append(inTable ? mdCell(s.text()) : mdText(s.text()));
            }
        }
        return sb.toString();
    }

    private static String mdCell(String text) {
        return mdText(text).replace("|", "\\|");
    }

    /**
     * Escapes what Markdown would otherwise read as markup or raw HTML. Intra-word underscores are
     * left alone (GFM does not emphasise them), so {@code personal_domains} stays readable in the source.
     */
    private static String mdText(String text) {
        String s = oneLine(text);
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', '`', '*', '[', ']', '<', '>', '#', '~', '&' -> sb.append('\\').append(c);
                case '_' -> {
                    boolean inWord = i > 0 && i < s.length() - 1
                            && Character.isLetterOrDigit(s.charAt(i - 1)) && Character.isLetterOrDigit(s.charAt(i + 1));
                    sb.append(inWord ? "_" : "\\_");
                }
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        return sb.toString();
    }

    private static int longestBacktickRun(String s) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            run = s.charAt(i) == '`' ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    // ---------------------------------------------------------------------------------------------
    // HTML

    /**
     * A self-contained HTML page: inline CSS, no scripts, no external resources, laid out to print
     * on one page (A4 or Letter) for the default definition.
     */
    public String html() {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n")
                .append("<h1>").append(esc(title)).append("</h1>\n");
        sb.append(htmlBody());
        sb.append("</body>\n</html>\n");
        return sb.toString();
    }

    /**
     * The document's sections as HTML elements (from {@code <h2>} down, no title, page or styles),
     * for embedding in another page such as the SLA report. Classes used: {@code cols}, {@code sigs},
     * {@code sig}.
     */
    public String htmlBody() {
        StringBuilder sb = new StringBuilder(8192);
        for (Block b : blocks) {
            html(sb, b);
        }
        return sb.toString();
    }

    /** The document's title: the definition's name, version and effective date. */
    public String title() {
        return title;
    }

    // small type and tight tables so the default agreement fits one printed page
    private static final String CSS = String.join("\n",
            "@page { size: auto; margin: 12mm; }",
            "body { font: 9.5pt/1.3 -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; color: #111; max-width: 190mm; margin: 0 auto; padding: 8px; }",
            "h1 { font-size: 15pt; margin: 0 0 4px; }",
            "h2 { font-size: 10.5pt; margin: 10px 0 3px; border-bottom: 1px solid #999; }",
            "p { margin: 3px 0; }",
            "ul { margin: 3px 0; padding-left: 16px; }",
            "table { border-collapse: collapse; width: 100%; margin: 3px 0; }",
            "th, td { border: 1px solid #bbb; padding: 1px 5px; text-align: left; vertical-align: top; }",
            "th { background: #eee; font-weight: 600; }",
            "code { font: 8.5pt ui-monospace, Menlo, Consolas, monospace; }",
            ".cols { display: flex; gap: 12px; }",
            ".cols > div { flex: 1; }",
            ".sigs { display: flex; gap: 24px; margin-top: 22px; }",
            ".sig { flex: 1; border-top: 1px solid #111; padding-top: 2px; }",
            "@media print { body { padding: 0; } h2 { break-after: avoid; } table, .sig { break-inside: avoid; } }",
            "");

    private static void html(StringBuilder sb, Block b) {
        if (b instanceof Heading h) {
            sb.append("<h2>").append(esc(h.text())).append("</h2>\n");
        } else if (b instanceof Paragraph p) {
            sb.append("<p>").append(html(p.spans())).append("</p>\n");
        } else if (b instanceof Bullets l) {
            sb.append("<ul>\n");
            for (List<Span> item : l.items()) {
                sb.append("<li>").append(html(item)).append("</li>\n");
            }
            sb.append("</ul>\n");
        } else if (b instanceof Table t) {
            sb.append("<table>\n<tr>");
            for (String h : t.header()) {
                sb.append("<th>").append(esc(h)).append("</th>");
            }
            sb.append("</tr>\n");
            for (List<List<Span>> row : t.rows()) {
                sb.append("<tr>");
                for (List<Span> cell : row) {
                    sb.append("<td>").append(html(cell)).append("</td>");
                }
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        } else if (b instanceof Signatures s) {
            sb.append("<div class=\"sigs\">\n");
            for (Map.Entry<String, String> e : s.signatories().entrySet()) {
                sb.append("<div class=\"sig\">").append(esc(e.getValue())).append(", for ").append(esc(e.getKey()))
                        .append("<br>Signature and date</div>\n");
            }
            sb.append("</div>\n");
        } else if (b instanceof Columns c) {
            sb.append("<div class=\"cols\">\n");
            for (List<Block> col : c.columns()) {
                sb.append("<div>\n");
                for (Block inner : col) {
                    html(sb, inner);
                }
                sb.append("</div>\n");
            }
            sb.append("</div>\n");
        }
    }

    private static String html(List<Span> spans) {
        StringBuilder sb = new StringBuilder();
        for (Span s : spans) {
            if (s.code()) {
                sb.append("<code>").append(esc(s.text())).append("</code>");
            } else {
                sb.append(esc(s.text()));
            }
        }
        return sb.toString();
    }

    static String esc(String s) {
        return dev.handoff.html.Html.escape(s);
    }
}
