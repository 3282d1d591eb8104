package org.sonatype.nexus.repository.nix.it.ui;

import org.sonatype.nexus.repository.nix.it.support.NexusServer;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A browser test class's Chromium, signed in to the shared Nexus: after each test the browser console must hold no
 * errors; a failed test leaves a screenshot {@code failed-<test class>-<test>.png} next to the others (most browser
 * test failures are easier to see than to read); the browser closes after the class. Register it as a static
 * {@code @RegisterExtension} field and call {@link #signIn} from {@code @BeforeAll}.
 */
final class BrowserSession
    implements AfterEachCallback, AfterAllCallback, TestWatcher
{
  private Browser browser;

  /** Starts the browser and signs in as {@code user}; Nexus's first-login wizard for admin is skipped for good. */
  NexusUi signIn(final NexusServer nexus, final String user, final String password) {
    NexusUi.skipAdminSetupWizard(nexus.rest());
    browser = Browser.start();
    NexusUi ui = new NexusUi(browser, nexus.baseUrl());
    ui.signIn(user, password);
    return ui;
  }

  @Override
  public void afterEach(final ExtensionContext context) {
    if (browser != null) {
      assertThat(browser.takeConsoleErrors()).as("errors in the browser console").isEmpty();
    }
  }

  @Override
  public void testFailed(final ExtensionContext context, final Throwable cause) {
    if (browser != null) {
      String test = context.getRequiredTestMethod().getName();
      // a parameterized test's invocations differ in their display names only
      String invocation = context.getDisplayName().startsWith(test) ? ""
          : "-" + context.getDisplayName().replaceAll("[^A-Za-z0-9]+", "-");
      browser.screenshot("failed-" + context.getRequiredTestClass().getSimpleName() + "-" + test + invocation);
    }
  }

  @Override
  public void afterAll(final ExtensionContext context) {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }
}
