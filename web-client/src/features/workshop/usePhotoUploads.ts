import { useCallback, useEffect, useRef, useState } from 'react';
import { messageFor } from '../../lib/errors';
import { uploadPhoto, type UploadedPhoto } from '../../lib/photos';
import { staffToken } from '../../lib/storage';

/** Upload is one chosen file on its way to the order's photos. */
export interface Upload {
  key: string;
  name: string;
  /** A local preview of the file (an object URL), shown while it uploads. */
  preview: string;
  /** 0–1 of the bytes sent. */
  progress: number;
  photo?: UploadedPhoto;
  error?: string;
}

let next = 0;

/**
 * usePhotoUploads uploads the files the workshop picks to an order, each as soon as it is
 * chosen, and keeps their progress; ids() are the photos ready to post.
 */
export function usePhotoUploads(orderId: string) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const aborts = useRef(new Map<string, () => void>());

  const patch = useCallback((key: string, p: Partial<Upload>) => {
    setUploads((cur) => cur.map((u) => (u.key === key ? { ...u, ...p } : u)));
  }, []);

  const add = useCallback(
    (files: FileList | File[]) => {
      for (const file of Array.from(files)) {
        const key = `u${++next}`;
        const preview = URL.createObjectURL(file);
        setUploads((cur) => [...cur, { key, name: file.name, preview, progress: 0 }]);
        const { done, abort } = uploadPhoto(orderId, file, staffToken(), (f) => patch(key, { progress: f }));
        aborts.current.set(key, abort);
        done
          .then((photo) => patch(key, { photo, progress: 1 }))
          .catch((err) =>
            patch(key, {
              error: err?.code === 'BAD_USER_INPUT' && err.serverMessage ? err.serverMessage : messageFor(err, 'workshop'),
            }),
          )
          .finally(() => aborts.current.delete(key));
      }
    },
    [orderId, patch],
  );

  const remove = useCallback((key: string) => {
    aborts.current.get(key)?.();
    setUploads((cur) => {
      const gone = cur.find((u) => u.key === key);
      if (gone) URL.revokeObjectURL(gone.preview);
      return cur.filter((u) => u.key !== key);
    });
  }, []);

  const clear = useCallback(() => {
    setUploads((cur) => {
      cur.forEach((u) => URL.revokeObjectURL(u.preview));
      return [];
    });
  }, []);

  useEffect(() => {
    const pending = aborts.current;
    return () => pending.forEach((abort) => abort());
  }, []);

  const ready = uploads.filter((u) => u.photo).map((u) => u.photo!.id);
  const pending = uploads.some((u) => !u.photo && !u.error);
  return { uploads, add, remove, clear, ready, pending };
}
