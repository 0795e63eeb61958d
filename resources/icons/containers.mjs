// The icon containers the installers need, written by hand around PNG images:
// Windows .ico (PNG entries, Vista and later) and macOS .icns (PNG entries, 10.7 and later).

/** sizes → PNG buffers, e.g. new Map([[16, png16], [256, png256]]). 256 is stored as 0 by the format. */
export function ico(pngsBySize) {
  const entries = [...pngsBySize.entries()].sort(([a], [b]) => a - b);
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(entries.length, 4);
  const directory = Buffer.alloc(16 * entries.length);
  let offset = header.length + directory.length;
  entries.forEach(([size, png], index) => {
    const at = index * 16;
    directory[at] = size >= 256 ? 0 : size; // width
    directory[at + 1] = size >= 256 ? 0 : size; // height
    directory[at + 2] = 0; // no palette
    directory[at + 3] = 0; // reserved
    directory.writeUInt16LE(1, at + 4); // colour planes
    directory.writeUInt16LE(32, at + 6); // bits per pixel
    directory.writeUInt32LE(png.length, at + 8);
    directory.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...entries.map(([, png]) => png)]);
}

/** The icns element types that hold PNG data, by the pixel size of the image they carry. */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16@2x
  ['icp6', 64],
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic08', 256],
  ['ic13', 256], // 128@2x
  ['ic09', 512],
  ['ic14', 512], // 256@2x
  ['ic10', 1024], // 512@2x
];

/** sizes → PNG buffers; every size ICNS_TYPES names must be present. */
export function icns(pngsBySize) {
  const elements = ICNS_TYPES.map(([type, size]) => {
    const png = pngsBySize.get(size);
    if (!png) throw new Error(`icns needs a ${size}px image for ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(elements);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([head, body]);
}
