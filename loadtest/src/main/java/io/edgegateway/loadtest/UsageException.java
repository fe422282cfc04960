package io.edgegateway.loadtest;

/** A command line that cannot be run as given; the message says what was wrong and the process exits 2. */
public final class UsageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
