package dev.handoff.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeteredTransportTest {

    @Test
    void countsEveryRequestAndThoseThatFailed() throws IOException {
        Deque<Object> answers = new ArrayDeque<>();
        answers.add(new HttpResponse(200, Map.of(), null));
        answers.add(new HttpResponse(429, Map.of(), null));
        answers.add(new HttpResponse(404, Map.of(), null));
        answers.add(new HttpResponse(503, Map.of(), null));
        answers.add(new IOException("connection reset"));
        MeteredTransport t = new MeteredTransport("marketo", r -> {
            Object next = answers.removeFirst();
            if (next instanceof IOException e) {
                throw e;
            }
            return (HttpResponse) next;
        });
        HttpRequest request = HttpRequest.get(java.net.URI.create("http://127.0.0.1/x"), Map.of());
        for (int i = 0; i < 4; i++) {
            t.send(request);
        }
        assertThatThrownBy(() -> t.send(request)).isInstanceOf(IOException.class);

        assertThat(t.system()).isEqualTo("marketo");
        assertThat(t.requests()).isEqualTo(5);
        assertThat(t.failures()).as("429, 503 and the reset; a 404 is an answer").isEqualTo(3);
    }
}
