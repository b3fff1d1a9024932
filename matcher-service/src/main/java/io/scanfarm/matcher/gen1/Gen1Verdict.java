package io.scanfarm.matcher.gen1;

import java.util.List;

/** What first-generation Nmap concluded for a subject: the kind of verdict, the ranking, and the lines it printed. */
public record Gen1Verdict(Kind kind, Gen1Result result, List<String> lines) {

    public enum Kind {
        /** One to eight perfect matches: {@code OS details: A, B}. */
        PERFECT,
        /** No perfect match, some at 85% or more: {@code No exact OS matches}, with guesses when asked for. */
        GUESS,
        /** Nothing at 85% or more: {@code No OS matches for host}. */
        NO_MATCH,
        /** More than eight perfect matches: {@code Too many fingerprints match this host}. */
        TOO_MANY
    }

    public Gen1Verdict {
        lines = List.copyOf(lines);
    }
}
