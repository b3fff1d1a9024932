package io.scanfarm.cli;

import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A scan's progress on standard error (the progressbar library): hosts done of total, hosts per second and the
 * time left. On a terminal a bar redrawn in place; otherwise (a log, a pipe, CI) a plain line every few seconds.
 */
final class ScanProgress implements AutoCloseable {

    private final ProgressBar bar;

    private ScanProgress(ProgressBar bar) {
        this.bar = bar;
    }

    /** No progress at all (--quiet). */
    static ScanProgress none() {
        return new ScanProgress(null);
    }

    static ScanProgress start(long hosts, boolean terminal, PrintWriter err, Duration plainEvery) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("scan").setInitialMax(hosts).setUnit(" hosts", 1)
                .showSpeed(new DecimalFormat("0.0")).setSpeedUnit(ChronoUnit.SECONDS).continuousUpdate().setMaxRenderedLength(100);
        if (terminal) {
            b.setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK);
        } else {
            String[] last = {""};
            b.setConsumer(new DelegatingProgressBarConsumer(line -> {
                // The bar renders again on close; a line that says nothing new is not printed twice.
                if (!line.strip().equals(last[0])) {
                    last[0] = line.strip();
                    err.println(last[0]);
                    err.flush();
                }
            }, 100)).setUpdateIntervalMillis((int) plainEvery.toMillis()).setStyle(ProgressBarStyle.ASCII);
        }
        return new ScanProgress(b.build());
    }

    void hostDone() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
