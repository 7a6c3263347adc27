"""A folder in the index's place that cannot be used, replaced or removed, and what to tell the user."""

from __future__ import annotations

import os
from pathlib import Path


class IndexInTheWay(OSError):
    """The index folder's place is taken by a folder that cannot be used, replaced or removed."""

    def __init__(self, folder: Path, ours: bool) -> None:
        super().__init__(f"index folder {folder} is in the way")
        self.folder = folder
        self.ours = ours  # carries our marker or our READY file

    def messages(self, beside: Path | None = None) -> tuple[str, str]:
        """(English, Japanese): which folder, why, what was done, and what to do."""
        folder = self.folder
        try:
            os.listdir(folder)
            unreadable = None
        except OSError as exc:
            unreadable = exc.strerror or str(exc)
        if unreadable is not None:
            why_en, why_ja = f"cannot be read ({unreadable})", f"読み取れません ({unreadable})"
            fix_en = f"restore its permissions (chmod -R u+rwX {folder}) or delete it"
            fix_ja = f"アクセス権を戻す (chmod -R u+rwX {folder}) か、削除してください"
        elif self.ours:
            why_en, why_ja = "cannot be replaced", "置き換えられません"
            fix_en = "check the permissions of what it holds, or delete it"
            fix_ja = "中身のアクセス権を確認するか、削除してください"
        else:
            why_en, why_ja = "holds files that are not this program's", "このプログラムのものではないファイルがあります"
            fix_en, fix_ja = "move it elsewhere if you need it, or delete it", "必要なら別の場所へ移すか、削除してください"
        if beside is not None:
            done_en, done_ja = f"left as it is; the index was built beside it in {beside}", \
                f"そのままにし、インデックスをその隣の {beside} に作りました"
        else:
            done_en, done_ja = "left as it is; using an in-memory index", "そのままにし、メモリ上のインデックスを使用します"
        return (f"index folder {folder} {why_en}: {done_en}. To tidy up: {fix_en}",
                f"インデックス フォルダー {folder} は{why_ja}。{done_ja}。対処: {fix_ja}")
