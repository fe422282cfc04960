package io.edgegateway.loadtest.upstream;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/** The last few requests an upstream received, oldest first; older ones are dropped beyond the limit. */
final class RecentRequests {

    private final int limit;
    private final ArrayDeque<RecordedRequest> requests = new ArrayDeque<>();

    RecentRequests(int limit) {
        this.limit = limit;
    }

    synchronized void add(RecordedRequest request) {
        if (requests.size() == limit) {
            requests.removeFirst();
        }
        requests.addLast(request);
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(requests);
    }

    synchronized Optional<RecordedRequest> last() {
        return Optional.ofNullable(requests.peekLast());
    }

    synchronized void clear() {
        requests.clear();
    }
}
