// Photos taken in the street: where the camera says it was taken (EXIF GPS
// and time, read with exifr) and a copy scaled down to at most 1600 px as a
// JPEG, so a report sends a few hundred kilobytes over a weak signal. Drawing
// the picture again drops its metadata, so the copy carries no GPS track.

import exifr from 'exifr';

export const MAX_SIDE = 1600;

export interface Taken {
  lon?: number;
  lat?: number;
  taken_at?: string;
}

export interface PreparedPhoto {
  blob: Blob;
  taken: Taken;
  /** An object URL of the scaled copy, for the preview. */
  preview: string;
}

async function readTaken(file: Blob): Promise<Taken> {
  try {
    const data = (await exifr.parse(file, { gps: true, pick: ['DateTimeOriginal', 'latitude', 'longitude'] })) as
      | { latitude?: number; longitude?: number; DateTimeOriginal?: Date }
      | undefined;
    if (!data) return {};
    const taken: Taken = {};
    if (typeof data.latitude === 'number' && typeof data.longitude === 'number' && Number.isFinite(data.latitude)) {
      taken.lat = data.latitude;
      taken.lon = data.longitude;
    }
    if (data.DateTimeOriginal instanceof Date && !Number.isNaN(data.DateTimeOriginal.getTime())) taken.taken_at = data.DateTimeOriginal.toISOString();
    return taken;
  } catch {
    return {};
  }
}

async function scale(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const factor = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * factor));
  const height = Math.max(1, Math.round(bitmap.height * factor));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the photo cannot be encoded'))), 'image/jpeg', 0.82));
}

/** Reads where the photo was taken and scales it down. */
export async function preparePhoto(file: File): Promise<PreparedPhoto> {
  const [taken, blob] = await Promise.all([readTaken(file), scale(file)]);
  return { blob, taken, preview: URL.createObjectURL(blob) };
}
