// The ceiling of `npm run bench`: bare node:http answering every request with one fixed
// 2.4 KB JSON body. Run as a child process (pinned to the server core); prints its port.
import { createServer } from 'node:http';

const item = (i) => ({
  id: 5000000 + i,
  number: String(i),
  subject: `Bare ceiling item ${i}`,
  status: 'open',
  due_date: null,
  private: false,
});
let items = [];
for (let i = 1; JSON.stringify(items).length < 2400; i++) items.push(item(i));
const fixed = Buffer.from(`${JSON.stringify(items.slice(0, -1))}`.padEnd(2400, ' '));

const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': fixed.length });
  res.end(fixed);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port, bytes: fixed.length })}\n`);
});
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
