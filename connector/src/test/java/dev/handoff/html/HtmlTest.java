package dev.handoff.html;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapesMarkupAndQuotesAndBlanksControlCharacters() {
        assertThat(Html.escape("<script>alert('x' & \"y\")</script>"))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;/script&gt;");
        assertThat(Html.escape("a\u0000b\nc")).isEqualTo("a b\nc");
        assertThat(Html.escape(null)).isEmpty();
        assertThat(Html.escape("Zoë 🚀 مرحبا")).isEqualTo("Zoë 🚀 مرحبا");
    }
}
