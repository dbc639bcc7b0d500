// tus-js-client (Node) uploading one planned file with its default retry delays, as a browser
// app would. Args: tus endpoint, upload_id, path, file. Prints one JSON line. Run by TusJsClientTest.
const fs = require('fs');
const tus = require('tus-js-client');

const [endpoint, uploadId, path, file] = process.argv.slice(2);
const data = fs.readFileSync(file);
const started = Date.now();
const errors = [];
const upload = new tus.Upload(data, {
  endpoint,
  metadata: { upload_id: uploadId, path },
  onShouldRetry: (err, attempt, options) => {
    errors.push(`${attempt}: ${err.message.split('\n')[0]}`);
    return tus.defaultOptions.onShouldRetry(err, attempt, options); // the stock rule, only recorded
  },
  onError: (err) => { console.log(JSON.stringify({ ok: false, error: String(err), errors, ms: Date.now() - started })); process.exit(0); },
  onSuccess: () => { console.log(JSON.stringify({ ok: true, url: upload.url, errors, ms: Date.now() - started })); process.exit(0); },
});
upload.start();
