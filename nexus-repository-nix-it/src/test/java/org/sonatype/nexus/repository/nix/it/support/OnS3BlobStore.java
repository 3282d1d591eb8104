package org.sonatype.nexus.repository.nix.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a test class with every repository it creates on an S3 blob store ({@link TestBlobStore#s3()}): put it on a
 * subclass of a test class ({@code @OnS3BlobStore class ProxySubstituteOnS3IT extends ProxySubstituteIT {}}) and
 * the same tests run again on S3. After the class, the S3 bucket must hold more blobs than before it, so a class
 * that creates its repositories some other way cannot pass for an S3 test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(OnS3BlobStore.Extension.class)
public @interface OnS3BlobStore
{
  class Extension
      implements BeforeAllCallback, AfterAllCallback
  {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(OnS3BlobStore.class);

    @Override
    public void beforeAll(final ExtensionContext context) {
      TestBlobStore s3 = TestBlobStore.s3();
      context.getStore(NAMESPACE).put("blobs", s3.blobCount());
      TestBlobStore.useForNewRepositories(s3);
    }

    @Override
    public void afterAll(final ExtensionContext context) {
      TestBlobStore.useForNewRepositories(TestBlobStore.file());
      long before = context.getStore(NAMESPACE).get("blobs", Long.class);
      assertThat(TestBlobStore.s3().blobCount()).as("blobs in the S3 bucket after " + context.getDisplayName())
          .isGreaterThan(before);
    }
  }
}
