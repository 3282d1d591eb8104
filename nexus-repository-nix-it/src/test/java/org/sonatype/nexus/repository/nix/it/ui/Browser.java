package org.sonatype.nexus.repository.nix.it.ui;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

import org.sonatype.nexus.repository.nix.it.support.ItDirs;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: Selenium is given both programs and never looks
 * for (or downloads) others. Keeps the errors the pages log to the browser console and saves screenshots.
 *
 * <p>The window is tall enough for a whole repository form, so screenshots show all of it and nothing a test clicks
 * is ever scrolled out of reach.
 */
final class Browser
    implements AutoCloseable
{
  /** Generous: the machine has 2 cores and other tests may be running. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final String CHROMIUM = System.getProperty("ui.it.chromium", "/usr/bin/chromium");

  private static final String CHROMEDRIVER = System.getProperty("ui.it.chromedriver", "/usr/bin/chromedriver");

  private static final Path SCREENSHOTS = Path.of(System.getProperty("ui.it.screenshots", "target/ui-screenshots"));

  /**
   * Errors Nexus 3.71's own pages log in the base template whatever the plugin does: they load telemetry and usage
   * metrics from resources only Sonatype's closed-source plugins serve.
   */
  private static final List<String> NEXUS_OWN_ERRORS = List.of(
      "/service/rest/v1/user-telemetry/javascript",
      "/service/rest/internal/ui/usage-metrics");

  private final ChromeDriver driver;

  private Browser(final ChromeDriver driver) {
    this.driver = driver;
  }

  static Browser start() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--disable-dev-shm-usage", "--window-size=1280,2200",
        "--user-data-dir=" + ItDirs.newTempDir("chromium-profile"));
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    return new Browser(new ChromeDriver(service, options));
  }

  WebDriver driver() {
    return driver;
  }

  /** Runs a script in the page; {@code arguments[i]} are {@code args}, DOM elements come back as WebElements. */
  Object js(final String script, final Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Waits until {@code condition} answers something other than null or false.
   *
   * @param what what is awaited, for the failure message
   */
  <T> T await(final String what, final Function<? super WebDriver, T> condition) {
    // a grid or form that re-renders while the condition reads it leaves stale elements: read it again
    return new WebDriverWait(driver, TIMEOUT)
        .withMessage(what)
        .ignoring(StaleElementReferenceException.class)
        .until(condition);
  }

  /** The whole window as {@code <target>/ui-screenshots/<name>.png}. */
  Path screenshot(final String name) {
    Path file = SCREENSHOTS.resolve(name + ".png");
    try {
      Files.createDirectories(SCREENSHOTS);
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }
    catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * The errors logged to the console (uncaught exceptions, failed requests) since the last call, Nexus's own noise
   * excepted.
   */
  List<String> takeConsoleErrors() {
    List<String> errors = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
          && NEXUS_OWN_ERRORS.stream().noneMatch(entry.getMessage()::contains)) {
        errors.add(entry.getMessage());
      }
    }
    return errors;
  }

  @Override
  public void close() {
    driver.quit();
  }
}
