// epubcheck for many books in one JVM: the tests start this once per test file
// (`java -cp epubcheck.jar epubcheck-server.java`, Java's source launcher), then
// write one EPUB path per line on stdin. For each, it prints exactly what the
// epubcheck command line prints for that file, then a line
// `@@epubcheck-done <exit code>`. It stops when stdin closes.
//
// Why: each JVM start costs 3 s on an idle 2-core machine and 12-20 s on a busy
// one; the command line checks one file per start.

import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubcheckServer {
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      // epubcheck prints to System.out and System.err: capture both for this file alone.
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
      System.setOut(capture);
      System.setErr(capture);
      int code;
      try {
        code = new EpubChecker().run(new String[] {line});
      } catch (Throwable t) {
        t.printStackTrace(capture);
        code = -1;
      }
      capture.flush();
      out.print(buffer.toString(StandardCharsets.UTF_8));
      out.println("\n@@epubcheck-done " + code);
    }
  }
}
