import io.edgegateway.loadtest.upstream.MockUpstream;
import java.util.concurrent.TimeUnit;

/**
 * The loadtest mock upstream ({@code loadtest.jar upstream}) plus a request counter on standard
 * output, for upstream-failure.sh: the counter lives in the mock's process, so a benchmark can tell
 * when a restarted or thawed instance serves again, whichever proxy is in front of it.
 *
 * <p>Usage: {@code java -cp loadtest.jar:CLASSES CountingUpstream PORT LATENCY NAME TICK_MS}. Prints
 * {@code listening EPOCH_MS} once bound, then {@code EPOCH_MS SERVED} every TICK_MS, SERVED being the
 * responses started since the start (health checks included).
 */
public final class CountingUpstream {

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            System.err.println("usage: CountingUpstream PORT LATENCY NAME TICK_MS");
            System.exit(2);
        }
        MockUpstream upstream = MockUpstream.builder()
                .port(Integer.parseInt(args[0]))
                .latency(args[1])
                .name(args[2])
                .ioThreads(1)
                .recordedRequestsLimit(1)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(upstream::close, "counting-upstream-shutdown"));
        System.out.println("listening " + System.currentTimeMillis());
        long tickMillis = Long.parseLong(args[3]);
        while (true) {
            System.out.println(System.currentTimeMillis() + " " + upstream.requestsServed());
            TimeUnit.MILLISECONDS.sleep(tickMillis);
        }
    }
}
