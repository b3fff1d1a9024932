package io.scanfarm.matcher.subject;

/**
 * One block of a subject file: its number in input order (from 1), the line it starts on, and either the
 * parsed subject or an error message naming the offending line.
 */
public record ParsedSubject(int index, int line, SubjectFingerprint subject, String error) {

    public boolean ok() {
        return subject != null;
    }
}
