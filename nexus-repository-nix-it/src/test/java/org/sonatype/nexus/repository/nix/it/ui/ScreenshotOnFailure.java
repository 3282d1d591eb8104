package org.sonatype.nexus.repository.nix.it.ui;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Saves what the browser showed when a test failed, as {@code failed-<test class>-<test>.png} next to the other
 * screenshots: most browser test failures are easier to see than to read.
 */
final class ScreenshotOnFailure
    implements TestWatcher
{
  private final Supplier<Browser> browser;

  ScreenshotOnFailure(final Supplier<Browser> browser) {
    this.browser = browser;
  }

  @Override
  public void testFailed(final ExtensionContext context, final Throwable cause) {
    Browser current = browser.get();
    if (current != null) {
      String test = context.getRequiredTestMethod().getName();
      // a parameterized test's invocations differ in their display names only
      String invocation = context.getDisplayName().startsWith(test) ? ""
          : "-" + context.getDisplayName().replaceAll("[^A-Za-z0-9]+", "-");
      current.screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-" + test + invocation);
    }
  }
}
