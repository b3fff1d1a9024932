package io.scanfarm.matcher.gen1;

/**
 * One block of a subject file: its number in input order (from 1), the line it starts on, and either the
 * parsed subject or an error: the line at fault and what was expected there.
 */
public record Gen1ParsedSubject(int index, int line, Gen1Subject subject, int errorLine, String error) {

    public boolean ok() {
        return subject != null;
    }
}
