package io.scanfarm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a command's results go: standard output, or the --output file (opened first, checked when closed). */
final class ResultsOutput {

    /** What writes the results, given where they go; returns the exit code. */
    @FunctionalInterface
    interface Results {
        int write(PrintWriter out) throws Exception;
    }

    private ResultsOutput() {
    }

    static int write(Path output, PrintWriter stdout, Results results) throws Exception {
        if (output == null) {
            return results.write(stdout);
        }
        PrintWriter file;
        try {
            file = new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UserError("cannot write " + output + ": " + e.getMessage());
        }
        try (PrintWriter out = file) {
            int code = results.write(out);
            if (out.checkError()) {
                throw new UserError("cannot write " + output + " (disk full?)");
            }
            return code;
        }
    }
}
