package io.scanfarm.matcher.load;

/** The database file could not be found or read; the message is one sentence for the user. */
public final class OsDbLoadException extends RuntimeException {

    public OsDbLoadException(String message) {
        super(message);
    }
}
