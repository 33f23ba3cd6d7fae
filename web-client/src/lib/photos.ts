import { parseGraphQLError, type ApiError } from './errors';

/** UploadedPhoto is a photo stored for an order, not yet posted to its timeline. */
export interface UploadedPhoto {
  id: string;
  width: number;
  height: number;
  contentType: string;
  thumbUrl: string;
  url: string;
}

/** ACCEPTED lists the formats the server takes (it checks the content, not the name). */
export const ACCEPTED = 'image/jpeg,image/png,image/webp';

/** uploadError reads the server's JSON refusal ({errors: [{message, extensions}]}). */
export function uploadError(status: number, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { errors?: { message?: string; extensions?: unknown }[] };
    const first = parsed.errors?.[0];
    if (first) return parseGraphQLError(first.message ?? '', first.extensions);
  } catch {
    // not JSON: a proxy's page
  }
  return {
    code: status === 0 ? 'NETWORK' : 'UNKNOWN',
    serverMessage: status === 413 ? 'The file is too large.' : '',
    reasons: [],
    fix: [],
  };
}

/**
 * uploadPhoto sends one file to the order's photos with the staff token, reporting progress
 * (0–1) as the bytes leave; fetch cannot report upload progress, XMLHttpRequest can.
 */
export function uploadPhoto(
  orderId: string,
  file: File,
  token: string | null,
  onProgress: (fraction: number) => void,
): { done: Promise<UploadedPhoto>; abort(): void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<UploadedPhoto>((resolve, reject) => {
    xhr.open('POST', `/api/orders/${encodeURIComponent(orderId)}/photos`);
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) {
        try {
          const body = JSON.parse(xhr.responseText) as { photos: UploadedPhoto[] };
          onProgress(1);
          resolve(body.photos[0]);
          return;
        } catch {
          // fall through to the error
        }
      }
      reject(uploadError(xhr.status, xhr.responseText));
    };
    xhr.onerror = () => reject(uploadError(0, ''));
    xhr.onabort = () => reject(uploadError(0, ''));
    const form = new FormData();
    form.append('photo', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
