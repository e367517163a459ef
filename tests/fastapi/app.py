"""A small datasets-upload API in the style of Nebius Token Factory's, served
by FastAPI + pydantic v2 so that its /openapi.json is what those produce:
`UploadFile` parts (`contentMediaType`, no `format: binary`), a recursive
column schema (`-Input`/`-Output` pairs), nullable enums, 422
`HTTPValidationError`s. State lives in memory; the server records the size
and SHA-256 of every part it receives, and the client compares.

Run: uvicorn app:app --port PORT (from this directory).
"""

import hashlib
import itertools
import time
from enum import Enum
from typing import Annotated, Literal, Optional, Union

from fastapi import FastAPI, File, Form, HTTPException, Query, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field

app = FastAPI(title="Datasets uploads (FastAPI test server)", version="1.0.0")


class SchemaPrimitiveType(str, Enum):
    string = "string"
    integer = "integer"
    boolean = "boolean"
    json = "json"


class SchemaPrimitive(BaseModel):
    name: SchemaPrimitiveType


class SchemaOption(BaseModel):
    name: Literal["option"]
    item: Union[SchemaPrimitive, "SchemaOption"]


class ColumnSchema(BaseModel):
    name: str
    type: Union[SchemaPrimitive, SchemaOption]


class UploadStatus(str, Enum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class CreateUploadRequest(BaseModel):
    name: str = Field(min_length=1)
    schema_: list[ColumnSchema] = Field(alias="schema")
    folder: str
    # A nullable enum that pydantic spells `enum: [gzip, zstd, null]`.
    compression: Literal["gzip", "zstd", None] = None


class UploadDatasetInfo(BaseModel):
    id: Optional[str] = None
    name: str
    schema_: list[ColumnSchema] = Field(alias="schema")
    folder: str


class UploadInfo(BaseModel):
    status: UploadStatus
    dataset: UploadDatasetInfo
    compression: Literal["gzip", "zstd", None]
    created_at: int
    completed_at: Optional[int] = None
    ai_project_id: Optional[str] = None


class UploadResponse(BaseModel):
    id: str
    upload_info: UploadInfo


class UploadPartInfo(BaseModel):
    id: str
    upload_id: str
    size: int
    sha256: str
    file_name: Optional[str]
    content_type: Optional[str]
    # Required and nullable: the server sends `null` when no label was given.
    label: Literal["train", "test", None]
    created_at: int


class UploadPartsResponse(BaseModel):
    object: str = "list"
    data: list[UploadPartInfo]


class CompleteUploadRequest(BaseModel):
    part_ids: list[str]


class DeletedDataset(BaseModel):
    id: str
    deleted: bool


uploads: dict[str, dict] = {}
datasets: dict[str, bytes] = {}
ids = itertools.count(1)


def find_upload(upload_id: str) -> dict:
    upload = uploads.get(upload_id)
    if upload is None:
        raise HTTPException(status_code=404, detail=f"upload {upload_id} not found")
    return upload


def upload_response(upload: dict) -> UploadResponse:
    return UploadResponse(id=upload["id"], upload_info=upload["info"])


@app.post("/v1/datasets/uploads", response_model=UploadResponse)
def create_upload(request: CreateUploadRequest, ai_project_id: Optional[str] = None) -> UploadResponse:
    upload_id = f"upload_{next(ids)}"
    info = UploadInfo(
        status=UploadStatus.PENDING,
        dataset=UploadDatasetInfo(name=request.name, schema=request.schema_, folder=request.folder),
        compression=request.compression,
        created_at=int(time.time()),
        ai_project_id=ai_project_id,
    )
    uploads[upload_id] = {"id": upload_id, "info": info, "parts": {}}
    return upload_response(uploads[upload_id])


@app.post("/v1/datasets/uploads/{upload_id}/parts", response_model=UploadPartInfo)
async def add_upload_part(
    upload_id: str,
    data: Annotated[UploadFile, File(description="The part's bytes.")],
    label: Annotated[Literal["train", "test", None], Form()] = None,
) -> UploadPartInfo:
    upload = find_upload(upload_id)
    if upload["info"].status != UploadStatus.PENDING:
        raise HTTPException(status_code=409, detail=f"upload {upload_id} is {upload['info'].status.value}")
    content = await data.read()
    part = UploadPartInfo(
        id=f"part_{next(ids)}",
        upload_id=upload_id,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        file_name=data.filename,
        content_type=data.content_type,
        label=label,
        created_at=int(time.time()),
    )
    upload["parts"][part.id] = (part, content)
    return part


@app.get("/v1/datasets/uploads/{upload_id}/parts", response_model=UploadPartsResponse)
def list_upload_parts(upload_id: str) -> UploadPartsResponse:
    upload = find_upload(upload_id)
    return UploadPartsResponse(data=[part for part, _ in upload["parts"].values()])


@app.post("/v1/datasets/uploads/{upload_id}/complete", response_model=UploadResponse)
def complete_upload(upload_id: str, request: CompleteUploadRequest) -> UploadResponse:
    upload = find_upload(upload_id)
    unknown = [part_id for part_id in request.part_ids if part_id not in upload["parts"]]
    if unknown:
        raise HTTPException(status_code=400, detail=f"unknown parts: {', '.join(unknown)}")
    dataset_id = f"dataset_{next(ids)}"
    datasets[dataset_id] = b"".join(upload["parts"][part_id][1] for part_id in request.part_ids)
    info = upload["info"]
    info.status = UploadStatus.COMPLETED
    info.completed_at = int(time.time())
    info.dataset.id = dataset_id
    return upload_response(upload)


@app.post("/v1/datasets/uploads/{upload_id}/cancel", response_model=UploadResponse)
def cancel_upload(upload_id: str) -> UploadResponse:
    upload = find_upload(upload_id)
    upload["info"].status = UploadStatus.CANCELLED
    return upload_response(upload)


@app.get(
    "/v1/datasets/{dataset_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}}}},
)
def get_dataset_content(dataset_id: str, limit: Annotated[Optional[int], Query(ge=1)] = None) -> Response:
    content = datasets.get(dataset_id)
    if content is None:
        raise HTTPException(status_code=404, detail=f"dataset {dataset_id} not found")
    return Response(content=content[:limit] if limit else content, media_type="application/octet-stream")


@app.delete("/v1/datasets/{dataset_id}", response_model=DeletedDataset)
def delete_dataset(dataset_id: str) -> DeletedDataset:
    if datasets.pop(dataset_id, None) is None:
        raise HTTPException(status_code=404, detail=f"dataset {dataset_id} not found")
    return DeletedDataset(id=dataset_id, deleted=True)
