import "./style.css";
import { tauriApi } from "./api";
import { startApp } from "./app";

startApp(document, tauriApi);
