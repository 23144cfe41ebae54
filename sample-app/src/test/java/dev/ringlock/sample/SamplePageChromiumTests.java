package dev.ringlock.sample;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the sample's page in headless Chromium, as a user would: load it, press the demo button, and see
 * "0 double payments". Uses Debian's {@code chromium} and {@code chromium-driver} packages at fixed paths, so
 * Selenium never downloads a browser or a driver; skipped where they are not installed ({@code .ci/run}
 * installs them).
 */
@EnabledIf(value = "chromiumInstalled", disabledReason = "needs /usr/bin/chromium and /usr/bin/chromedriver "
        + "(Debian packages chromium and chromium-driver)")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        // the button must start the first run: a run at start-up would put a result on the page by itself
        properties = "sample.demo.run-at-startup=false")
@DirtiesContext(classMode = ClassMode.AFTER_CLASS)
class SamplePageChromiumTests {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    /** Generous: Chromium and the app share a possibly busy machine. */
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @LocalServerPort
    private int port;

    private Path profile;
    private ChromeDriverService service;
    private WebDriver browser;

    static boolean chromiumInstalled() {
        return CHROMIUM.canExecute() && CHROMEDRIVER.canExecute();
    }

    @BeforeEach
    void startBrowser() throws IOException {
        profile = Files.createTempDirectory("ringlock-sample-chromium-");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // the background-networking flags matter: on a machine without internet access Chromium is slow without them
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopBrowser() throws IOException {
        try {
            if (browser != null) {
                browser.quit();
            }
        }
        finally {
            if (service != null) {
                service.stop();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void theDemoButtonRunsTheDemoAndThePageShowsZeroDoublePayments() {
        WebDriverWait wait = new WebDriverWait(browser, TIMEOUT, Duration.ofMillis(200));
        browser.get("http://localhost:" + port + "/");
        // the page has polled the app once: no run yet, the ring drawn with this instance
        wait.until(ExpectedConditions.textToBe(By.id("demo-status"), "Not run yet."));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("ring-members"), "(this instance)"));
        // the only instance leads the report group and shows its term
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("report-role"), ": leader, term "));
        assertThat(browser.findElement(By.id("demo-result")).getText()).isEmpty();

        browser.findElement(By.id("demo-button")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("demo-result"), "0 double payments"));
        String result = browser.findElement(By.id("demo-result")).getText();
        assertThat(result).contains("200 concurrent payment attempts on 5 orders", "5 payments", "0 double payments");
        assertThat(browser.findElement(By.id("demo-status")).getText()).startsWith("Last run: orders ORD-");
        assertThat(browser.findElement(By.id("page-views")).getText()).isEqualTo("1");
    }
}
