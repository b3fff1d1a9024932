package io.scanfarm.matcher.osdb;

/** A database that cannot be loaded; the message names {@code file:line} and what was expected there. */
public final class OsDbFormatException extends RuntimeException {

    public OsDbFormatException(String source, int line, String message) {
        super(source + ":" + line + ": " + message);
    }

    public OsDbFormatException(String source, String message) {
        super(source + ": " + message);
    }
}
