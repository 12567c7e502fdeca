// The usage text printed by --help and after every bad flag.
export const USAGE = `Usage: provisio-emulator <salesforce|google|scim> [options]

Starts one loopback emulator, prints its URL and generated credentials, and runs until Ctrl+C.

Options:
  --port N          port to listen on (default 0: any free port)
  --host H          address to listen on (default 127.0.0.1); loopback only unless --allow-remote
  --allow-remote    accept a non-loopback --host (the emulator has no real security)
  --seed FILE       JSON file of users and groups to create at start (see packages/emulators/README.md)
  --latency MS      delay every answer by MS milliseconds
  --auth TYPE       scim only: none | bearer (default) | basic | apikey | oauth2
  --json            print the URL and credentials as one JSON line instead of text
  --help            print this text
`;
