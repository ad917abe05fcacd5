// The batch's JUnit XML report, as CI servers (Jenkins, GitLab, GitHub's test reporters) read
// it: one testsuite for the job file, one testcase per job with its time, a <failure> naming
// each check that failed and the output's last lines, an <error> for a job that could not run,
// and the output in <system-out>. Written by hand: the format is small and a dependency would
// buy nothing but escaping, done here (with the characters XML 1.0 cannot hold removed).
import { describeFailure, lastLines, type JobResult } from './verdict';

/** Lines of output quoted in a failure. */
const FAILURE_TAIL_LINES = 20;
/** <system-out> per testcase: longer output keeps its first and last halves of this. */
const MAX_SYSTEM_OUT_CHARS = 1 << 20;

export interface JunitSuite {
  /** The testsuite's name (the job file's, without .json). */
  readonly name: string;
  /** The results, in the job file's order. */
  readonly results: readonly JobResult[];
  /** Wall-clock seconds for the whole batch. */
  readonly seconds: number;
  readonly startedAt: Date;
  readonly hostname: string;
}

/** The report as text. */
export function junitReport(suite: JunitSuite): string {
  const failures = suite.results.filter((result) => result.outcome.kind === 'failed').length;
  const errors = suite.results.filter((result) => result.outcome.kind === 'error').length;
  const counts = { tests: suite.results.length, failures, errors };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'lantern batch', ...counts, time: seconds(suite.seconds) })}>`,
    `  <testsuite${attributes({
      name: suite.name, ...counts, skipped: 0, time: seconds(suite.seconds),
      // xs:dateTime without a zone, as the JUnit schema has it.
      timestamp: suite.startedAt.toISOString().slice(0, 19), hostname: suite.hostname,
    })}>`,
  ];
  for (const result of suite.results) lines.push(...testcase(suite.name, result));
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

function testcase(suiteName: string, result: JobResult): string[] {
  const lines = [`    <testcase${attributes({ name: result.job.name, classname: suiteName, time: seconds(result.seconds) })}>`];
  const outcome = result.outcome;
  if (outcome.kind === 'failed') {
    const reasons = outcome.failures.map(describeFailure);
    const tail = result.output === '' ? 'There was no output.\n' : `The last lines of the output:\n${lastLines(result.output, FAILURE_TAIL_LINES)}\n`;
    const said = result.messages === '' ? '' : `\nLantern's messages:\n${lastLines(result.messages, FAILURE_TAIL_LINES)}\n`;
    const body = `${reasons.join('\n')}\n\n${tail}${said}`;
    lines.push(`      <failure${attributes({ message: reasons[0], type: outcome.failures[0].kind })}>${text(body)}</failure>`);
  } else if (outcome.kind === 'error') {
    lines.push(`      <error${attributes({ message: outcome.message, type: 'not-run' })}/>`);
  }
  if (result.output !== '') lines.push(`      <system-out>${text(capped(result.output))}</system-out>`);
  if (result.messages !== '') lines.push(`      <system-err>${text(capped(result.messages))}</system-err>`);
  lines.push('    </testcase>');
  return lines;
}

function seconds(value: number): string {
  return value.toFixed(3);
}

function capped(output: string): string {
  if (output.length <= MAX_SYSTEM_OUT_CHARS) return output;
  const half = MAX_SYSTEM_OUT_CHARS / 2;
  return `${output.slice(0, half)}\n[lantern batch: ${output.length - 2 * half} characters left out]\n${output.slice(-half)}`;
}

/** Characters XML 1.0 cannot hold (§2.2 Char): controls but tab, LF and CR; lone surrogates; U+FFFE and U+FFFF. */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: the invalid characters dropped, markup escaped. */
export function text(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** ` a="1" b="x"`, values escaped for a double-quoted attribute (line breaks kept as references). */
function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${text(String(value)).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')}"`)
    .join('');
}
