package io.edgegateway.server.proxy;

import io.edgegateway.server.upstream.AttemptOutcome;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An {@link UpstreamAttempt.Owner} that writes down what its attempt tells it, as short strings
 * ({@code "answered 200"}, {@code "content 5"}, {@code "failed RESET"}), and releases the content it
 * is handed. {@link #onAnswered} lets a test act where the real owner would (cancel, abandon).
 */
final class RecordingOwner implements UpstreamAttempt.Owner {

    final List<String> events = new ArrayList<>();
    BiConsumer<UpstreamAttempt, HttpResponse> onAnswered = (attempt, response) -> { };

    @Override
    public void connected(UpstreamAttempt attempt) {
        events.add("connected");
    }

    @Override
    public void answered(UpstreamAttempt attempt, HttpResponse response) {
        events.add("answered " + response.status().code());
        onAnswered.accept(attempt, response);
    }

    @Override
    public void content(UpstreamAttempt attempt, HttpContent content) {
        events.add("content " + content.content().readableBytes());
        content.release();
    }

    @Override
    public void readComplete(UpstreamAttempt attempt) {
        events.add("readComplete");
    }

    @Override
    public void writabilityChanged(UpstreamAttempt attempt, boolean writable) {
        events.add("writable " + writable);
    }

    @Override
    public void failed(UpstreamAttempt attempt, AttemptOutcome outcome) {
        events.add("failed " + outcome);
    }

    /** The events but the read completions, whose number depends on how the test feeds the channel. */
    List<String> calls() {
        return events.stream().filter(e -> !e.equals("readComplete")).toList();
    }
}
