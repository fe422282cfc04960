package io.edgegateway.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens the HTML report in headless Chromium, as a person would, and checks the charts are drawn. */
class HtmlReportChromiumTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** A safety net for a slow shared machine, not a figure under test. */
    private static final long CHROMIUM_TIMEOUT_SECONDS = 120;

    @Test
    void chartsRenderInABrowser(@TempDir Path folder) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM),
                CHROMIUM + " is missing: install it with 'apt-get install chromium' (bin/test does so)");
        Path html = folder.resolve("report.html");
        HtmlReport.write(SampleReports.singleRun(), html);
        String url = html.toUri().toString();

        String dom = chromium(folder, "dom", "--dump-dom", url);
        assertEquals(5, count(dom, "<svg"), "charts in the rendered DOM");
        assertEquals(7, count(dom, "<polyline"), "lines in the rendered DOM");

        Path png = folder.resolve("report.png");
        chromium(folder, "screenshot", "--window-size=1280,2400", "--screenshot=" + png, url);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());

        long inked = 0;
        long coloured = 0;
        Set<Integer> hues = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int red = rgb >> 16 & 0xff;
                int green = rgb >> 8 & 0xff;
                int blue = rgb & 0xff;
                if (Math.min(red, Math.min(green, blue)) < 200) {
                    inked++;
                }
                if (Math.max(red, Math.max(green, blue)) - Math.min(red, Math.min(green, blue)) > 100) {
                    coloured++;
                    hues.add((red >> 6) << 4 | (green >> 6) << 2 | blue >> 6);
                }
            }
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertTrue(inked > pixels / 100, "drawn pixels: " + inked + " of " + pixels);
        assertTrue(coloured > 5_000, "chart-coloured pixels: " + coloured);
        assertTrue(hues.size() >= 4, "distinct chart colours: " + hues.size());
    }

    /** Runs Chromium headless on its own fresh profile and returns what it printed. */
    private static String chromium(Path folder, String name, String... arguments) throws Exception {
        Path profile = Files.createDirectories(folder.resolve("profile-" + name));
        Path out = folder.resolve(name + ".out");
        Path err = folder.resolve(name + ".err");
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(CHROMIUM_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("chromium " + name + " did not finish in " + CHROMIUM_TIMEOUT_SECONDS + "s: " + read(err));
        }
        assertEquals(0, process.exitValue(), () -> "chromium " + name + " failed: " + read(err));
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int count(String text, String tag) {
        Matcher matcher = Pattern.compile(Pattern.quote(tag) + "[\\s>]").matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
