// Package cliutil is the command-line grammar shared by citychain's commands
// (citynode, cityctl, citybench), on top of urfave/cli v2 (ADR 032):
//
//   - flags are accepted before and after positional arguments: Normalize
//     moves the flags of the command being run in front of its arguments
//     before urfave/cli parses them (v2 stops reading flags at the first
//     argument);
//   - bad usage exits with status 2: an unknown flag or command, a flag
//     without its value, a missing required flag, a malformed value; a
//     failed operation exits with status 1 (Run);
//   - one message style on stderr: "NAME: error: ..." and
//     "NAME: warning: ...";
//   - a renamed flag keeps its old name as a Deprecated flag: hidden from
//     help, accepted with a warning;
//   - DeriveEnv gives every flag an environment variable PREFIX_NAME;
//   - Bind ties a flag to the configuration field it overrides when set
//     (the last step of defaults, TOML file, environment, flags).
package cliutil
