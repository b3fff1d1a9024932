package io.scanfarm.cli;

/** An expected failure (bad input, missing file): printed as one sentence, never as a stack trace. */
final class UserError extends RuntimeException {

    UserError(String message) {
        super(message);
    }
}
