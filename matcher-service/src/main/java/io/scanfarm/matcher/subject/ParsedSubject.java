package io.scanfarm.matcher.subject;

/**
 * One block of a subject file: its number in input order (from 1), the line it starts on, and either the
 * parsed subject or an error: the line at fault and a message saying what was expected there.
 */
public record ParsedSubject(int index, int line, SubjectFingerprint subject, int errorLine, String error) {

    public boolean ok() {
        return subject != null;
    }
}
